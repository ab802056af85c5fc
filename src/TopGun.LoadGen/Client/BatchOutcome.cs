using TopGun.Core.Protocol;

namespace TopGun.LoadGen.Client;

/// <summary>How the server answered one OP_BATCH.</summary>
public enum BatchStatus
{
    /// <summary>OP_ACK arrived; its per-op results say which ops succeeded.</summary>
    Acknowledged,

    /// <summary>OP_REJECTED arrived for an op of the batch: the server does not ack a batch with unacknowledged ops.</summary>
    Rejected,

    /// <summary>The socket closed (or was cut) before any answer: the ops may or may not be durable.</summary>
    ConnectionLost,
}

/// <summary>The answer to one OP_BATCH, with the ops that were sent.</summary>
public sealed record BatchOutcome(BatchStatus Status, IReadOnlyList<ClientOp> Ops, OpAckMessage? Ack, OpRejectedMessage? Rejection)
{
    /// <summary>Ops the server confirmed with <c>success: true</c> in OP_ACK's results (none unless acknowledged).</summary>
    public IEnumerable<ClientOp> SucceededOps()
    {
        if (Status != BatchStatus.Acknowledged || Ack is null) yield break;
        if (Ack.Results is not { } results)
        {
            // Without per-op results the ack covers every op up to lastId.
            foreach (var op in Ops) yield return op;
            yield break;
        }
        var succeeded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in results)
        {
            if (r.Success) succeeded.Add(r.OpId);
        }
        foreach (var op in Ops)
        {
            if (op.Id is { } id && succeeded.Contains(id)) yield return op;
        }
    }
}
