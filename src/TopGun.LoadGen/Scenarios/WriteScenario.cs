using System.Diagnostics;
using System.Globalization;
using TopGun.Core.Clock;
using TopGun.Core.Protocol;
using TopGun.LoadGen.Client;
using TopGun.LoadGen.Measurement;

namespace TopGun.LoadGen.Scenarios;

/// <summary>
/// N clients each write M ops in OP_BATCHes of B, keeping up to W batches unacknowledged, and count an op
/// only when its OP_ACK result says success. Throughput is acknowledged ops over the wall time from the
/// first send to the last ack; connecting is not timed. With several target URLs (the nodes of one cluster)
/// the clients are spread round-robin over them and each node's share is reported over the same window.
/// </summary>
public sealed class WriteScenario(LoadGenOptions options, TextWriter output)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var opsPerClient = options.Ops ?? 5000;
        var batchSize = options.Batch ?? 100;
        output.WriteLine($"write: {options.Clients} clients x {opsPerClient} ops, batches of {batchSize}, {options.InFlight} in flight per client, map '{options.Map}', {options.UrlList}");

        var connections = new TopGunConnection[options.Clients];
        var tallies = options.Urls.Select(url => new TargetTally(url)).ToArray();
        try
        {
            for (var c = 0; c < options.Clients; c++)
            {
                connections[c] = await TopGunConnection.ConnectAsync(options.UrlFor(c), options.TokenFor(c), cancellationToken).ConfigureAwait(false);
                tallies[c % tallies.Length].Clients++;
            }

            var latency = new LatencyRecorder();
            long acked = 0, failed = 0, lost = 0;
            var rssBefore = options.ServerPid is { } pid0 ? ProcessRss.Read(pid0) : null;
            var started = Stopwatch.GetTimestamp();
            await Task.WhenAll(connections.Select((connection, c) => Task.Run(async () =>
            {
                var clock = new Hlc($"loadgen-{c}");
                var tally = tallies[c % tallies.Length];
                using var window = new SemaphoreSlim(options.InFlight);
                var inFlight = new List<Task>();
                for (var sent = 0; sent < opsPerClient; sent += batchSize)
                {
                    await window.WaitAsync(cancellationToken).ConfigureAwait(false);
                    var ops = new ClientOp[Math.Min(batchSize, opsPerClient - sent)];
                    for (var i = 0; i < ops.Length; i++)
                    {
                        var n = sent + i;
                        ops[i] = WriteOps.Put(clock, options.Map, $"c{c}-k{n}", $"c{c}-{n}", WriteOps.Todo(n));
                    }
                    var sentAt = Stopwatch.GetTimestamp();
                    inFlight.Add(connection.SendBatchAsync(ops, cancellationToken: cancellationToken).ContinueWith(t =>
                    {
                        window.Release();
                        if (!t.IsCompletedSuccessfully)
                        {
                            Interlocked.Add(ref lost, ops.Length);
                            tally.AddLost(ops.Length);
                            return;
                        }
                        var outcome = t.Result;
                        var ok = outcome.SucceededOps().Count();
                        var ackedAt = Stopwatch.GetTimestamp();
                        if (outcome.Status == BatchStatus.Acknowledged)
                        {
                            latency.Record(sentAt, ackedAt);
                            tally.Latency.Record(sentAt, ackedAt);
                        }
                        if (outcome.Status == BatchStatus.ConnectionLost)
                        {
                            Interlocked.Add(ref lost, ops.Length);
                            tally.AddLost(ops.Length);
                        }
                        else
                        {
                            Interlocked.Add(ref failed, ops.Length - ok);
                            tally.AddFailed(ops.Length - ok);
                        }
                        Interlocked.Add(ref acked, ok);
                        tally.AddAcked(ok, ackedAt);
                    }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default));
                }
                await Task.WhenAll(inFlight).ConfigureAwait(false);
            }, cancellationToken))).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started);

            var rate = acked / elapsed.TotalSeconds;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"acked {acked} ops in {elapsed.TotalSeconds:F2} s = {rate:F0} acked ops/s; failed {failed}, connection lost {lost}"));
            output.WriteLine("ack latency per batch (send -> OP_ACK): " + latency.Summary());
            if (tallies.Length > 1)
            {
                // Each node's own window (the run's first send to its clients' last ack): a node that lags shows a lower rate than the others.
                foreach (var t in tallies)
                {
                    var own = t.LastAck == 0 ? elapsed : Stopwatch.GetElapsedTime(started, t.LastAck);
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  node {t.Url}: {t.Clients} clients, acked {t.Acked} ops in {own.TotalSeconds:F2} s = {t.Acked / own.TotalSeconds:F0} acked ops/s; failed {t.Failed}, connection lost {t.Lost}; ack latency {t.Latency.Summary()}"));
                }
            }
            if (options.ServerPid is { } pid)
                output.WriteLine($"server RSS: before {ProcessRss.Describe(rssBefore)}, after {ProcessRss.Describe(ProcessRss.Read(pid))}");
            return failed == 0 && lost == 0 ? 0 : 1;
        }
        finally
        {
            foreach (var connection in connections)
            {
                if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
