using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using TopGun.EndToEnd.Tests.Support;
using TopGun.LoadGen.Client;

namespace TopGun.EndToEnd.Tests;

/// <summary>
/// The database goes away mid write storm and comes back: a single node on a PostgreSQL cluster of the
/// test's own, stopped with <c>pg_ctl stop -m immediate</c> while a client writes continuously, started
/// again a few seconds later. The node must recover by itself, without a restart and without the client
/// reconnecting.
/// </summary>
public sealed class JournalOutageTests
{
    private const string MapName = "e2e-outage";
    private const int Writers = 4;
    private const int AckedBeforeOutage = 300;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(25);

    [Fact]
    public async Task A_postgres_outage_mid_storm_answers_clear_errors_turns_unready_and_recovers_without_a_restart()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        using var dataDir = new TempDirectory("topgun-e2e-outage-");
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["TOPGUN_DATA_DIR"] = dataDir.Path,
            ["TOPGUN_JWT_SECRET"] = ServerStorage.JwtSecret,
            ["TOPGUN_NODE_ID"] = "e2e-outage-node",
            ["TOPGUN_STORAGE"] = "postgres",
            ["TOPGUN_POSTGRES"] = postgres.ConnectionString,
        });

        var clock = Stopwatch.StartNew();
        var readiness = new ConcurrentQueue<(TimeSpan At, HttpStatusCode? Status)>();
        using var stopPolling = new CancellationTokenSource();
        var polling = PollReadinessAsync(server, clock, readiness, stopPolling.Token);

        var writer = new RetryingWriter(MapName, clock);
        var connections = new List<TopGunConnection>();
        for (var c = 0; c < Writers; c++)
            connections.Add(await TopGunConnection.ConnectAsync(server.Address, HsTokens.Mint(ServerStorage.JwtSecret, $"outage-writer-{c}"), CancellationToken.None));
        using var stopNewWrites = new CancellationTokenSource();
        using var giveUp = new CancellationTokenSource();
        var writing = writer.RunAsync(connections, stopNewWrites.Token, giveUp.Token);

        string Diagnostics() =>
            $"acked {writer.Acked.Count}, pending {writer.Pending}.\nReadiness: {string.Join(", ", Transitions(readiness))}\n" +
            $"Answers (first of each kind per second):\n{string.Join("\n", Summarize(writer.Answers))}\nServer output (tail):\n{Tail(server.Output, 120)}";

        TimeSpan outageStart, outageEnd;
        try
        {
            await Eventually.True(() => writer.Acked.Count >= AckedBeforeOutage || writing.IsCompleted, $"{AckedBeforeOutage} ops were acknowledged before the outage");
            Assert.False(writing.IsCompleted, "The writer stopped before the outage: " + Diagnostics());

            outageStart = clock.Elapsed;
            await postgres.StopImmediatelyAsync();
            await Task.Delay(Outage); // the fault itself lasts this long; nothing is awaited here
            await postgres.StartAgainAsync();
            outageEnd = clock.Elapsed;

            // Back by itself: new acks on the same connection for batches sent after PostgreSQL returned, and /ready 200 again.
            var recovered = Eventually.True(
                () => writer.Answers.Any(a => a.IsAck && a.SentAt > outageEnd) && readiness.Any(r => r.At > outageEnd && r.Status == HttpStatusCode.OK),
                "the writers got acks again and /ready answered 200 after PostgreSQL came back",
                (int)RecoveryTimeout.TotalMilliseconds);
            try
            {
                await recovered;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Assert.Fail(e.Message + "\n" + Diagnostics());
            }

            // Let the writer retry whatever the outage left unacknowledged, on the same connection.
            await stopNewWrites.CancelAsync();
            giveUp.CancelAfter(RecoveryTimeout);
            await writing;
            Assert.True(writer.Pending == 0, "Ops written during the outage were never acknowledged after it: " + Diagnostics());
        }
        finally
        {
            await stopPolling.CancelAsync();
            await polling;
            await giveUp.CancelAsync();
            await writing;
            foreach (var connection in connections) await connection.DisposeAsync();
        }

        // During the outage the node said so: /ready turned non-200 while PostgreSQL was down (or just after,
        // before the probe saw it back), and was 200 again at the end.
        Assert.True(readiness.Any(r => r.At >= outageStart && r.At <= outageEnd + TimeSpan.FromSeconds(3) && r.Status != HttpStatusCode.OK),
            "/ready answered 200 all through the outage: " + Diagnostics());
        Assert.Equal(HttpStatusCode.OK, readiness.Last().Status);

        // Clear errors, never a silent hang: every batch got an answer, and batches that failed during the outage were
        // rejected with 503 and a reason that names the storage.
        var answers = writer.Answers.ToArray();
        Assert.True(answers.All(a => a.Status is not null), "A batch got no answer within " + RetryingWriter.AnswerTimeout + ": " + Diagnostics());
        var failed = answers.Where(a => !a.IsAck && a.SentAt >= outageStart && a.SentAt <= outageEnd).ToArray();
        Assert.True(failed.Length > 0, "No write failed during the outage (did the outage hit a running storm?): " + Diagnostics());
        Assert.All(failed, a =>
        {
            Assert.Equal(BatchStatus.Rejected, a.Status);
            Assert.Equal(503, a.RejectCode);
            Assert.Contains("storage", a.RejectReason ?? "", StringComparison.OrdinalIgnoreCase);
        });
        Assert.DoesNotContain(answers, a => a.Status == BatchStatus.ConnectionLost);

        // The log tells an operator what happened, and that it is over.
        Assert.Contains("Journal probe failed", server.Output, StringComparison.Ordinal);
        Assert.Contains("Journal answers again", server.Output, StringComparison.Ordinal);

        // Every acknowledged op (before, during and after the outage) is in the map the same process serves.
        await using var reader = await TopGunConnection.ConnectAsync(server.Address, HsTokens.Mint(ServerStorage.JwtSecret, "outage-reader"), CancellationToken.None);
        using var pullTimeout = new CancellationTokenSource(DurabilityCheck.PullTimeout);
        var pulled = await MerklePull.PullAsync(reader, MapName, pullTimeout.Token);
        Assert.Equal(pulled.ServerRootHash, pulled.Map.Merkle.RootHash);
        var missing = writer.Acked
            .Where(kv => pulled.Map.GetRecord(kv.Key) is not { } stored || stored.Timestamp != kv.Value.Timestamp || stored.Value != kv.Value.Value)
            .Select(kv => kv.Key)
            .ToArray();
        Assert.True(missing.Length == 0, $"{missing.Length} of {writer.Acked.Count} acknowledged ops are missing after the outage: {string.Join(", ", missing.Take(20))}");
        Assert.False(server.HasExited, "The server exited: " + Diagnostics());
    }

    private static async Task PollReadinessAsync(ServerProcess server, Stopwatch clock, ConcurrentQueue<(TimeSpan, HttpStatusCode?)> seen, CancellationToken stop)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var ready = new Uri($"http://{server.Address.Host}:{server.Address.Port}/ready");
        while (!stop.IsCancellationRequested)
        {
            HttpStatusCode? status;
            try
            {
                using var response = await http.GetAsync(ready, stop);
                status = response.StatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                status = null;
            }
            if (!stop.IsCancellationRequested) seen.Enqueue((clock.Elapsed, status));
            try
            {
                await Task.Delay(100, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static IEnumerable<string> Transitions(IEnumerable<(TimeSpan At, HttpStatusCode? Status)> seen)
    {
        HttpStatusCode? last = (HttpStatusCode)(-1);
        foreach (var (at, status) in seen)
        {
            if (status == last) continue;
            last = status;
            yield return $"{at.TotalSeconds:F1}s {(status is { } s ? ((int)s).ToString(System.Globalization.CultureInfo.InvariantCulture) : "no answer")}";
        }
    }

    private static IEnumerable<string> Summarize(IEnumerable<RetryingWriter.Answer> answers) =>
        answers.GroupBy(a => ((int)a.SentAt.TotalSeconds, a.Status, a.RejectReason?.Length > 40 ? a.RejectReason[..40] : a.RejectReason))
            .Select(g => $"{g.First()} (x{g.Count()})");

    private static string Tail(string text, int lines)
    {
        var all = text.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}
