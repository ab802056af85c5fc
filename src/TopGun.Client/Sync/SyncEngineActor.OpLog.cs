using System.Globalization;
using TopGun.Client.Storage;
using TopGun.Core.Protocol;

namespace TopGun.Client.Sync;

/// <summary>The op log on the wire: OP_BATCH out while online, OP_ACK / OP_REJECTED back, and when Syncing becomes Connected.</summary>
internal sealed partial class SyncEngineActor
{
    private void PumpOps()
    {
        if (!IsOnline) return;
        while (_ops.InFlightBatches < _options.MaxInFlightBatches && _ops.UnsentCount > 0)
        {
            var batch = _ops.TakeBatch(_options.OpBatchSize);
            var ops = new ClientOp[batch.Count];
            for (var i = 0; i < ops.Length; i++) ops[i] = batch[i].Op;
            Send(new OpBatchMessage(ops));
        }
    }

    private void OnOpAck(OpAckMessage ack)
    {
        var (acked, failed) = _ops.Ack(ack);
        var resolved = new List<long>(acked.Count + failed.Count);
        foreach (var op in acked) resolved.Add(op.Id);
        foreach (var (op, reason) in failed)
        {
            resolved.Add(op.Id);
            _core.OpFailures.Publish(new OpFailure(op.Op.Id!, op.Op.MapName, op.Op.Key, reason));
        }
        Resolve(resolved);
        PumpOps();
        CheckSynced();
    }

    private void OnOpRejected(OpRejectedMessage rejected)
    {
        if (!long.TryParse(rejected.OpId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || !_ops.TryRemove(id, out var op)) return;
        _core.OpFailures.Publish(new OpFailure(rejected.OpId, op!.Op.MapName, op.Op.Key, rejected.Reason));
        Resolve([id]);
        PumpOps();
        CheckSynced();
    }

    private void DropOldest()
    {
        if (_core.PendingOps <= _options.MaxPendingOps || _ops.OldestUnsent is not { } id || !_ops.TryRemove(id, out var op)) return;
        Resolve([id]);
        _core.BackpressureEvents.Publish(new BackpressureEvent(BackpressureEventKind.OpDropped, _core.PendingOps, op!.Op.Id));
    }

    private void Resolve(List<long> ids)
    {
        if (ids.Count == 0) return;
        _core.Writer.Enqueue(new StoreWork.DeleteOps(ids));
        _core.OnOpsResolved(ids.Count);
    }

    /// <summary>Syncing becomes Connected once every pushed op is acknowledged and every map's pull finished.</summary>
    private void CheckSynced()
    {
        if (!IsOnline) return;
        var walksDone = _walks.Values.All(w => w.Walk.Done);
        var opsDone = _ops.UnsentCount == 0 && _ops.InFlightBatches == 0;
        // Once Connected, ordinary writes in flight do not flip the state back; only a new map pull does.
        if (_core.State == ConnectionState.Connected) _core.SetState(walksDone ? ConnectionState.Connected : ConnectionState.Syncing);
        else _core.SetState(walksDone && opsDone ? ConnectionState.Connected : ConnectionState.Syncing);
    }
}
