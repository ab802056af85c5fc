namespace TopGun.Client;

/// <summary>A write was refused because too many writes wait for acknowledgement.</summary>
public sealed class PendingOpsLimitExceededException(long pending, int limit)
    : InvalidOperationException($"{pending} writes are waiting for acknowledgement (limit {limit}); retry later or use the async write")
{
    public long PendingOps { get; } = pending;
    public int Limit { get; } = limit;
}
