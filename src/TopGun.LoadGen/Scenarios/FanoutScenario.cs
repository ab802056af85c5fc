using System.Diagnostics;
using System.Globalization;
using TopGun.Core.Clock;
using TopGun.Core.Protocol;
using TopGun.Core.Values;
using TopGun.LoadGen.Client;
using TopGun.LoadGen.Measurement;

namespace TopGun.LoadGen.Scenarios;

/// <summary>
/// One writer, K subscribers with a match-all QUERY_SUB on a fresh map. Each written value carries the
/// writer's <see cref="Stopwatch"/> timestamp (same process, same clock), so a subscriber measures
/// write → QUERY_UPDATE and write → SERVER_EVENT latency on arrival of the frame.
/// </summary>
public sealed class FanoutScenario(LoadGenOptions options, TextWriter output)
{
    private static readonly TimeSpan DeliveryGrace = TimeSpan.FromSeconds(10);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var total = options.Ops ?? 1000;
        var batchSize = options.Batch ?? 1;
        output.WriteLine($"fanout: 1 writer, {options.Subscribers} subscribers, {total} ops in batches of {batchSize}, map '{options.Map}', {options.UrlList}");

        var subscribers = new List<TopGunConnection>();
        TopGunConnection? writer = null;
        try
        {
            for (var s = 0; s < options.Subscribers; s++)
            {
                var subscriber = await TopGunConnection.ConnectAsync(options.UrlFor(s + 1), options.TokenFor(s + 1), cancellationToken).ConfigureAwait(false);
                subscribers.Add(subscriber);
                var queryId = "fanout-" + s;
                await subscriber.SendAsync(new QuerySubMessage(queryId, options.Map, Value.Map()), cancellationToken).ConfigureAwait(false);
                await subscriber.ExpectAsync<QueryRespMessage>(r => r.QueryId == queryId, cancellationToken).ConfigureAwait(false);
            }
            writer = await TopGunConnection.ConnectAsync(options.UrlFor(0), options.TokenFor(0), cancellationToken).ConfigureAwait(false);

            var updateLatency = new LatencyRecorder();
            var eventLatency = new LatencyRecorder();
            using var drained = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var listeners = subscribers.Select(s => Task.Run(() => ListenAsync(s, total, updateLatency, eventLatency, drained.Token), CancellationToken.None)).ToArray();

            var clock = new Hlc("loadgen-writer");
            var ackLatency = new LatencyRecorder();
            var started = Stopwatch.GetTimestamp();
            var failed = 0;
            for (var sent = 0; sent < total; sent += batchSize)
            {
                var ops = new ClientOp[Math.Min(batchSize, total - sent)];
                var sentAt = Stopwatch.GetTimestamp();
                for (var i = 0; i < ops.Length; i++)
                {
                    var n = sent + i;
                    ops[i] = WriteOps.Put(clock, options.Map, "k" + n, "w-" + n, WriteOps.Todo(n, sentAt));
                }
                var outcome = await writer.SendBatchAsync(ops, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (outcome.Status == BatchStatus.Acknowledged) ackLatency.Record(sentAt, Stopwatch.GetTimestamp());
                failed += ops.Length - outcome.SucceededOps().Count();
            }
            var writeTime = Stopwatch.GetElapsedTime(started);

            // A subscriber that misses events is reported after a grace period, not awaited until the run's deadline.
            drained.CancelAfter(DeliveryGrace);
            var delivered = await Task.WhenAll(listeners).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var expected = (long)total * options.Subscribers;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {total - failed} ops in {writeTime.TotalSeconds:F2} s; {delivered.Sum()} of {expected} QUERY_UPDATEs delivered in {elapsed.TotalSeconds:F2} s ({delivered.Sum() / elapsed.TotalSeconds:F0} deliveries/s)"));
            output.WriteLine("write -> QUERY_UPDATE latency: " + updateLatency.Summary());
            output.WriteLine("write -> SERVER_EVENT latency: " + eventLatency.Summary());
            output.WriteLine("writer ack latency per batch: " + ackLatency.Summary());
            return failed == 0 && delivered.Sum() == expected ? 0 : 1;
        }
        finally
        {
            if (writer is not null) await writer.DisposeAsync().ConfigureAwait(false);
            foreach (var subscriber in subscribers) await subscriber.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Counts distinct keys seen in QUERY_UPDATEs until all <paramref name="total"/> arrived or the run is cancelled.</summary>
    private static async Task<int> ListenAsync(TopGunConnection subscriber, int total, LatencyRecorder updates, LatencyRecorder events, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (seen.Count < total && await subscriber.Messages.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (subscriber.Messages.TryRead(out var received))
                {
                    switch (received.Message)
                    {
                        case QueryUpdateMessage update when seen.Add(update.Key):
                            if (SentAt(update.Value) is { } at) updates.Record(at, received.ReceivedAt);
                            break;
                        case ServerEventMessage e:
                            if (SentAt(e.Payload.Record?.Value) is { } eventAt) events.Record(eventAt, received.ReceivedAt);
                            break;
                        case ServerBatchEventMessage batch:
                            foreach (var payload in batch.Events)
                            {
                                if (SentAt(payload.Record?.Value) is { } batchAt) events.Record(batchAt, received.ReceivedAt);
                            }
                            break;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run's deadline: report what arrived.
        }
        return seen.Count;
    }

    private static long? SentAt(Value? value) =>
        value is MapValue map && map.TryGet("sentAt", out var at) && at.TryGetNumber(out var ticks) ? (long)ticks : null;
}
