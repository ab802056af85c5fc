using Akka.Event;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Server.Clients;
using TopGun.Server.Maps;

namespace TopGun.Server.Gateway;

/// <summary>CLIENT_OP and OP_BATCH: validate, claim map kinds (<c>.MapKinds.cs</c>), group by partition, aggregate OP_ACK.</summary>
internal sealed partial class ConnectionActor
{
    private const string AccessDenied = "Access Denied";
    private static readonly TimeSpan MaxOpTimeout = TimeSpan.FromMinutes(5);

    private readonly HashSet<PartitionGather> _writes = [];

    private void OnWrite(ClientOp[] ops, WriteConcern? batchConcern, long? batchTimeout, bool single)
    {
        if (ops.Length > _deps.Gateway.MaxBatchOps)
        {
            LogRejected("Rejected input from client {0}: {1}", $"OP_BATCH of {ops.Length} ops");
            _channel.Send(ServerErrors.BatchTooLarge(ops.Length, _deps.Gateway.MaxBatchOps));
            return;
        }
        if (_deps.StorageFailure?.Invoke() is { } storageDown)
        {
            // Nothing is applied: acked means durable, and the journal cannot take it now. The client keeps the ops and retries.
            var refused = new WriteBatch(ops, single);
            for (var i = 0; i < ops.Length; i++) refused.Fail(i, $"Storage unavailable: {storageDown}; the op was not applied, retry it", 503);
            ReportWrite(refused, unacknowledged: true, logUnacknowledged: false);
            return;
        }
        if (!_opRate.TryTake(ops.Length))
        {
            // The ops stay in the client's op log (never acked) and are sent again; nothing is half-applied.
            LogRejected("Client {0} exceeded its op rate: {1}", $"{ops.Length} ops dropped");
            _channel.Send(ServerErrors.OpRateExceeded(_deps.Gateway.OpRatePerSecond, _deps.Gateway.OpRateBurst, ops.Length));
            return;
        }
        var batch = new WriteBatch(ops, single);
        var timeout = WriteTimeout(ops, batchTimeout);
        batch.Gather = _gathers.Start(timeout, _ => FinishWrite(batch, null), (_, failure) => FinishWrite(batch, failure));
        batch.TimeoutText = $"Timed out after {(long)timeout.TotalMilliseconds} ms before the write was acknowledged";
        _writes.Add(batch.Gather);

        var firstKindPerMap = new Dictionary<string, MapKind>(StringComparer.Ordinal);
        for (var i = 0; i < ops.Length; i++)
        {
            var op = ops[i];
            if (op.MapName is { Length: > 0 } && !Grant(op.MapName).Allows(ActionOf(op)))
            {
                // Checked before validation so a denied op never moves the node clock.
                batch.Fail(i, AccessDenied, 403);
                continue;
            }
            if (ValidateOp(op, out var kind, out var form) is { } error)
            {
                batch.Fail(i, error, 400);
                continue;
            }
            batch.Kinds[i] = kind;
            batch.Forms[i] = form;
            batch.Concerns[i] = op.WriteConcern ?? batchConcern ?? WriteConcern.Memory;
            firstKindPerMap.TryAdd(op.MapName, kind);
        }

        var unresolved = firstKindPerMap.Count;
        if (unresolved == 0)
        {
            Dispatch(batch);
            return;
        }
        foreach (var (mapName, kind) in firstKindPerMap)
        {
            WithMapKind(mapName, kind, _ =>
            {
                if (batch.Gather.IsFinished) return;
                if (--unresolved == 0) Dispatch(batch);
            });
        }
    }

    private TimeSpan WriteTimeout(ClientOp[] ops, long? batchTimeout)
    {
        long? longest = null;
        foreach (var op in ops)
        {
            if ((op.Timeout ?? batchTimeout) is { } ms && ms > 0) longest = Math.Max(longest ?? 0, ms);
        }
        var timeout = longest is { } l ? TimeSpan.FromMilliseconds(Math.Min(l, MaxOpTimeout.TotalMilliseconds)) : _deps.Gateway.OpTimeout;
        return timeout;
    }

    /// <summary>Null when the op may be applied; else the reason it is rejected. Advances the node clock past the op's timestamp.</summary>
    private string? ValidateOp(ClientOp op, out MapKind kind, out object? form)
    {
        kind = MapKind.Lww;
        form = null;
        if (CheckMapName(op.MapName) is { } mapError) return mapError;
        if (string.IsNullOrEmpty(op.Key)) return "key must not be empty";
        if (op.Key.Length > _deps.Gateway.MaxKeyLength) return $"key is longer than {_deps.Gateway.MaxKeyLength} characters";

        switch (op.OpType)
        {
            case "OR_ADD":
                kind = MapKind.Or;
                if (op.OrRecord is not { } add) return "OR_ADD needs an orRecord";
                if (string.IsNullOrEmpty(add.Tag)) return "orRecord.tag must not be empty";
                if (ObserveTimestamp(add.Timestamp) is { } addDrift) return addDrift;
                form = new OrOp(op.Id, op.Key, add, null);
                return null;
            case "OR_REMOVE":
                kind = MapKind.Or;
                if (string.IsNullOrEmpty(op.OrTag)) return "OR_REMOVE needs an orTag";
                form = new OrOp(op.Id, op.Key, null, op.OrTag);
                return null;
            case "REMOVE":
                if (op.Record is { } removal)
                {
                    if (ObserveTimestamp(removal.Timestamp) is { } removeDrift) return removeDrift;
                    form = new LwwOp(op.Id, op.Key, removal);
                }
                else
                {
                    // A REMOVE without a record is a tombstone made now by the server's clock.
                    form = new LwwOp(op.Id, op.Key, LwwRecord.Tombstone(_deps.Clock.Now()));
                }
                return null;
            default:
                if (op.Record is not { } record) return "PUT needs a record";
                if (ObserveTimestamp(record.Timestamp) is { } putDrift) return putDrift;
                form = new LwwOp(op.Id, op.Key, record);
                return null;
        }
    }

    /// <summary>Advances the node clock; under the strict drift policy a runaway timestamp is refused.</summary>
    private string? ObserveTimestamp(Timestamp timestamp)
    {
        var drift = timestamp.Millis - _deps.Clock.WallMillis();
        try
        {
            _deps.Clock.Update(timestamp);
        }
        catch (ClockDriftException e)
        {
            return $"Clock drift: timestamp {timestamp} is {e.DriftMillis} ms ahead of the server (max {_deps.Clock.MaxDriftMillis} ms)";
        }
        if (drift > _deps.Clock.MaxDriftMillis)
            LogRejected("Client {0} sent a timestamp beyond the drift limit (accepted, hlc.strict = off): {1}", $"{timestamp} is {drift} ms ahead");
        return null;
    }

    private void Dispatch(WriteBatch batch)
    {
        var lww = new Dictionary<(string Map, string Partition), List<int>>();
        var or = new Dictionary<(string Map, string Partition), List<int>>();
        for (var i = 0; i < batch.Ops.Length; i++)
        {
            if (batch.Forms[i] is null || batch.IsDone(i)) continue;
            var op = batch.Ops[i];
            var actual = _mapKinds[op.MapName];
            if (actual != batch.Kinds[i])
            {
                batch.Fail(i, $"Map '{op.MapName}' is an {Describe(actual)} map; {op.OpType ?? "PUT"} does not apply to it", 400);
                continue;
            }
            var groups = actual == MapKind.Lww ? lww : or;
            var groupKey = (op.MapName, PartitionOf(op.Key));
            if (!groups.TryGetValue(groupKey, out var indexes)) groups[groupKey] = indexes = [];
            indexes.Add(i);
        }

        foreach (var ((mapName, partition), indexes) in lww)
        {
            var ops = indexes.Select(i => (LwwOp)batch.Forms[i]!).ToArray();
            var concern = indexes.Max(i => batch.Concerns[i]);
            var id = _gathers.Call(batch.Gather, mapName, partition, c => new ApplyLwwOps(c, ops, concern, _clientId));
            batch.Groups[id] = indexes.ToArray();
        }
        foreach (var ((mapName, partition), indexes) in or)
        {
            var ops = indexes.Select(i => (OrOp)batch.Forms[i]!).ToArray();
            var concern = indexes.Max(i => batch.Concerns[i]);
            var id = _gathers.Call(batch.Gather, mapName, partition, c => new ApplyOrOps(c, ops, concern, _clientId));
            batch.Groups[id] = indexes.ToArray();
        }
        batch.Gather.CompleteIfEmpty();
    }

    private static string Describe(MapKind kind) => kind == MapKind.Lww ? "LWW" : "OR";

    private void FinishWrite(WriteBatch batch, GatherFailure? failure)
    {
        foreach (var reply in batch.Gather.Replies)
        {
            if (reply is not OpsApplied applied || !batch.Groups.TryGetValue(applied.CorrelationId, out var indexes)) continue;
            for (var j = 0; j < indexes.Length && j < applied.Outcomes.Count; j++)
            {
                var outcome = applied.Outcomes[j];
                var i = indexes[j];
                if (!outcome.Success) batch.Fail(i, outcome.Error ?? "Rejected by the partition", 500);
                else if (applied.ConcernNotMet is { } unmet && batch.Concerns[i] > applied.Achieved) batch.FallShort(i, applied.Achieved, unmet);
                else batch.Succeed(i, applied.Achieved);
            }
        }

        var unacknowledged = false;
        for (var i = 0; i < batch.Ops.Length; i++)
        {
            if (batch.IsDone(i)) continue;
            unacknowledged = true;
            batch.Fail(i, failure switch
            {
                GatherFailure.Rejected rejected => rejected.Error,
                _ when _deps.StorageFailure?.Invoke() is { } storageDown => $"Storage unavailable: {storageDown}; the op is not acknowledged ({batch.TimeoutText}), retry it",
                _ => batch.TimeoutText,
            }, 503);
        }

        if (!_closing) ReportWrite(batch, unacknowledged);
        WriteFinished(batch.Gather);
    }

    /// <summary>A graceful shutdown closes the socket once no write is in flight any more.</summary>
    private void WriteFinished(PartitionGather gather)
    {
        _writes.Remove(gather);
        if (_shuttingDown && _writes.Count == 0) CloseWith(CloseCodes.Shutdown, "Server shutting down");
    }

    /// <param name="logUnacknowledged">False where the node already logged the cause once (the journal probe), not per batch.</param>
    private void ReportWrite(WriteBatch batch, bool unacknowledged, bool logUnacknowledged = true)
    {
        if (batch.Single)
        {
            var op = batch.Ops[0];
            if (batch.Acked[0])
            {
                if (op.Id is not null)
                    _channel.Send(new OpAckMessage(op.Id, batch.Achieved[0], new[] { new OpResult(op.Id, batch.Success[0] == true, batch.Achieved[0], batch.Errors[0]) }));
            }
            else if (op.Id is not null)
            {
                _channel.Send(new OpRejectedMessage(op.Id, batch.Errors[0]!, batch.Codes[0]));
            }
            else
            {
                _channel.Send(ServerErrors.OperationRejected(batch.Codes[0], batch.Errors[0]));
            }
            return;
        }

        if (unacknowledged)
        {
            // OP_ACK's lastId makes the TS client drop every op up to it from its op log, so a batch
            // with unacknowledged ops is never acked: each failed op is rejected and the client's
            // retry of the rest is harmless (merges are idempotent).
            for (var i = 0; i < batch.Ops.Length; i++)
            {
                if (!batch.Acked[i] && batch.Ops[i].Id is { } id)
                    _channel.Send(new OpRejectedMessage(id, batch.Errors[i]!, batch.Codes[i]));
            }
            if (logUnacknowledged)
                _log.Warning("Client {0}: {1} of {2} ops of a batch were not acknowledged in time", _clientId, batch.Acked.Count(a => !a), batch.Ops.Length);
            return;
        }

        string? lastId = null;
        var results = new List<OpResult>(batch.Ops.Length);
        WriteConcern? achieved = null;
        var anonymousFailures = 0;
        var denied = 0;
        string? firstAnonymousError = null;
        for (var i = 0; i < batch.Ops.Length; i++)
        {
            var ok = batch.Success[i] == true;
            if (!ok && batch.Codes[i] == 403)
            {
                denied++;
                if (batch.Ops[i].Id is { } deniedId)
                {
                    lastId = deniedId;
                    results.Add(new OpResult(deniedId, false, WriteConcern.FireAndForget, AccessDenied));
                }
                continue;
            }
            var acked = batch.Acked[i];
            if (acked) achieved = achieved is { } a && a < batch.Achieved[i] ? a : batch.Achieved[i];
            if (batch.Ops[i].Id is { } id)
            {
                lastId = id;
                results.Add(new OpResult(id, ok, acked ? batch.Achieved[i] : WriteConcern.FireAndForget, ok ? null : batch.Errors[i]));
            }
            else if (!acked)
            {
                anonymousFailures++;
                firstAnonymousError ??= batch.Errors[i];
            }
        }
        if (lastId is not null) _channel.Send(new OpAckMessage(lastId, achieved, results.ToArray()));
        if (denied > 0)
        {
            LogRejected("Client {0} was denied: {1}", $"{denied} ops of a batch for {_principal}");
            _channel.Send(ServerErrors.PartialBatchDenied(denied));
        }
        if (anonymousFailures > 0)
            _channel.Send(ServerErrors.PartialBatchRejected(anonymousFailures, firstAnonymousError));
    }

    /// <summary>One CLIENT_OP or OP_BATCH in flight: per-op state, filled by validation and partition replies.</summary>
    private sealed class WriteBatch
    {
        public WriteBatch(ClientOp[] ops, bool single)
        {
            Ops = ops;
            Single = single;
            Kinds = new MapKind[ops.Length];
            Forms = new object?[ops.Length];
            Concerns = new WriteConcern[ops.Length];
            Success = new bool?[ops.Length];
            Achieved = new WriteConcern[ops.Length];
            Acked = new bool[ops.Length];
            Errors = new string?[ops.Length];
            Codes = new int[ops.Length];
        }

        public ClientOp[] Ops { get; }
        public bool Single { get; }
        public MapKind[] Kinds { get; }

        /// <summary>The partition op (<see cref="LwwOp"/> or <see cref="OrOp"/>) of each valid client op.</summary>
        public object?[] Forms { get; }

        public WriteConcern[] Concerns { get; }
        public bool?[] Success { get; }
        public WriteConcern[] Achieved { get; }

        /// <summary>Applied and journaled, so covered by OP_ACK's lastId: every succeeded op and every op that fell short of its concern.</summary>
        public bool[] Acked { get; }
        public string?[] Errors { get; }
        public int[] Codes { get; }

        /// <summary>Correlation id of each partition call → the op indexes it carries, in order.</summary>
        public Dictionary<long, int[]> Groups { get; } = [];

        public PartitionGather Gather { get; set; } = null!;
        public string TimeoutText { get; set; } = "";

        public bool IsDone(int i) => Success[i] is not null;

        public void Succeed(int i, WriteConcern achieved)
        {
            Success[i] = true;
            Achieved[i] = achieved;
            Acked[i] = true;
        }

        /// <summary>Applied and journaled below the requested concern: acked, and reported as not successful with the level reached.</summary>
        public void FallShort(int i, WriteConcern achieved, string error)
        {
            Success[i] = false;
            Achieved[i] = achieved;
            Acked[i] = true;
            Errors[i] = error;
            Codes[i] = 504;
        }

        public void Fail(int i, string error, int code)
        {
            if (Success[i] is not null) return;
            Success[i] = false;
            Errors[i] = error;
            Codes[i] = code;
        }
    }
}
