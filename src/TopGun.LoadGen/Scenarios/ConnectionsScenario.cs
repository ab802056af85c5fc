using System.Diagnostics;
using System.Globalization;
using TopGun.Core.Protocol;
using TopGun.LoadGen.Client;
using TopGun.LoadGen.Measurement;

namespace TopGun.LoadGen.Scenarios;

/// <summary>
/// Opens C authenticated connections (P connects in flight), holds them, then closes them. Reports the
/// accept rate (authenticated connections per second of connecting) and, with a server pid, the server's
/// RSS at rest, while holding, and after closing. Held connections send PING so the idle timeout
/// (4002) never fires, however long the hold.
/// </summary>
public sealed class ConnectionsScenario(LoadGenOptions options, TextWriter output)
{
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(5);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        output.WriteLine($"connections: {options.Connections} connections, {options.Parallel} connects in flight, hold {options.Hold.TotalSeconds:F0} s, {options.UrlList}");
        var rssAtRest = Rss();
        var opened = new TopGunConnection?[options.Connections];
        var failures = 0;
        string? firstFailure = null;
        try
        {
            var started = Stopwatch.GetTimestamp();
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, Math.Min(options.Parallel, options.Connections)).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < options.Connections)
                {
                    try
                    {
                        opened[i] = await TopGunConnection.ConnectAsync(options.UrlFor(i), options.TokenFor(i), cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        Interlocked.Increment(ref failures);
                        Interlocked.CompareExchange(ref firstFailure, e.Message, null);
                    }
                }
            }, cancellationToken))).ConfigureAwait(false);
            var connectTime = Stopwatch.GetElapsedTime(started);
            var accepted = opened.Count(c => c is not null);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"authenticated {accepted} of {options.Connections} in {connectTime.TotalSeconds:F2} s = {accepted / connectTime.TotalSeconds:F0} accepts/s; {failures} failed{(firstFailure is null ? "" : " (first: " + firstFailure + ")")}"));

            var holdUntil = Stopwatch.GetTimestamp() + (long)(options.Hold.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < holdUntil)
            {
                var wait = TimeSpan.FromSeconds(Math.Min(PingInterval.TotalSeconds, (holdUntil - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency));
                if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                foreach (var connection in opened)
                {
                    if (connection is not null) await connection.SendAsync(new PingMessage(now), cancellationToken).ConfigureAwait(false);
                }
            }
            var rssHolding = Rss();
            var stillOpen = opened.Count(c => c is not null && !c.Closed.IsCompleted);
            output.WriteLine($"after holding: {stillOpen} still open; server RSS at rest {ProcessRss.Describe(rssAtRest)}, holding {ProcessRss.Describe(rssHolding)}");
            if (rssAtRest is { } rest && rssHolding is { } holding && accepted > 0)
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"≈ {(holding - rest) / 1024.0 / accepted:F1} KB server RSS per held connection"));
            return failures == 0 && stillOpen == options.Connections ? 0 : 1;
        }
        finally
        {
            await Task.WhenAll(opened.Where(c => c is not null).Select(c => c!.DisposeAsync().AsTask())).ConfigureAwait(false);
            if (options.ServerPid is not null) output.WriteLine($"after closing: server RSS {ProcessRss.Describe(Rss())}");
        }
    }

    private long? Rss() => options.ServerPid is { } pid ? ProcessRss.Read(pid) : null;
}
