using System.Globalization;
using TopGun.Client.Storage;
using TopGun.Core.Protocol;

namespace TopGun.Client.Sync;

/// <summary>
/// The sync engine's view of the durable op log: which ops are unsent and which OP_BATCH carried
/// each in-flight op. An OP_ACK names the last op id of one batch and covers only that batch's ops
/// up to it (compared numerically, not as strings as the TS client does), so an acknowledged op is
/// never sent again and a reconnect resends exactly the unacknowledged ones. Owned by the actor.
/// </summary>
internal sealed class OpLogTracker
{
    private readonly Dictionary<long, PendingOp> _ops = [];
    private readonly SortedSet<long> _unsent = [];
    private readonly Dictionary<long, long> _batchOf = [];
    private readonly Dictionary<long, List<long>> _batches = [];
    private long _nextBatch;

    public int Count => _ops.Count;
    public int UnsentCount => _unsent.Count;
    public int InFlightBatches => _batches.Count;

    public void Add(PendingOp op)
    {
        if (_ops.TryAdd(op.Id, op)) _unsent.Add(op.Id);
    }

    public IEnumerable<PendingOp> Ops => _ops.Values;

    /// <summary>Takes up to <paramref name="max"/> unsent ops, lowest ids first, as one in-flight batch.</summary>
    public List<PendingOp> TakeBatch(int max)
    {
        var batchNo = ++_nextBatch;
        var ids = new List<long>(Math.Min(max, _unsent.Count));
        foreach (var id in _unsent)
        {
            ids.Add(id);
            if (ids.Count == max) break;
        }
        var ops = new List<PendingOp>(ids.Count);
        foreach (var id in ids)
        {
            _unsent.Remove(id);
            _batchOf[id] = batchNo;
            ops.Add(_ops[id]);
        }
        _batches[batchNo] = ids;
        return ops;
    }

    /// <summary>
    /// Applies OP_ACK. Returns the acknowledged ops and, from per-op results, the refused ones; both
    /// leave the log. Ops of the batch beyond <c>lastId</c> go back to unsent.
    /// </summary>
    public (List<PendingOp> Acked, List<(PendingOp Op, string Reason)> Failed) Ack(OpAckMessage ack)
    {
        var acked = new List<PendingOp>();
        var failed = new List<(PendingOp, string)>();
        var failedIds = new Dictionary<long, string>();
        if (ack.Results is { } results)
            foreach (var result in results)
                if (!result.Success && long.TryParse(result.OpId, NumberStyles.None, CultureInfo.InvariantCulture, out var fid))
                    failedIds[fid] = result.Error ?? "rejected";

        if (long.TryParse(ack.LastId, NumberStyles.None, CultureInfo.InvariantCulture, out var lastId)
            && _batchOf.TryGetValue(lastId, out var batchNo) && _batches.Remove(batchNo, out var ids))
        {
            foreach (var id in ids)
            {
                _batchOf.Remove(id);
                if (!_ops.TryGetValue(id, out var op)) continue;
                if (failedIds.TryGetValue(id, out var reason))
                {
                    _ops.Remove(id);
                    failed.Add((op, reason));
                }
                else if (id <= lastId)
                {
                    _ops.Remove(id);
                    acked.Add(op);
                }
                else
                {
                    _unsent.Add(id);
                }
            }
        }
        return (acked, failed);
    }

    /// <summary>Removes one op for good (OP_REJECTED or a drop); false when it is not in the log.</summary>
    public bool TryRemove(long id, out PendingOp? op)
    {
        if (!_ops.Remove(id, out op)) return false;
        _unsent.Remove(id);
        if (_batchOf.Remove(id, out var batchNo) && _batches.TryGetValue(batchNo, out var ids))
        {
            ids.Remove(id);
            if (ids.Count == 0) _batches.Remove(batchNo);
        }
        return true;
    }

    /// <summary>The oldest op not in flight, if any.</summary>
    public long? OldestUnsent => _unsent.Count == 0 ? null : _unsent.Min;

    /// <summary>After a disconnect: nothing is in flight any more, everything unacknowledged is unsent.</summary>
    public void ResetInFlight()
    {
        foreach (var id in _batchOf.Keys) _unsent.Add(id);
        _batchOf.Clear();
        _batches.Clear();
    }
}
