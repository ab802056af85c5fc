namespace TopGun.EndToEnd.Tests.Cluster;

/// <summary>
/// One connection of a <see cref="FailoverStorm"/> client to one node, from connect until it was lost or the storm
/// stopped. <see cref="Sequence"/> orders sessions across all clients by when they connected.
/// </summary>
public sealed class StormSession(int client, string node, long sequence)
{
    private long _acked;
    private int _lost;

    public int Client { get; } = client;

    public string Node { get; } = node;

    public long Sequence { get; } = sequence;

    /// <summary>Ops acknowledged with success on this connection.</summary>
    public long Acked => Interlocked.Read(ref _acked);

    /// <summary>The server closed or cut the connection (as opposed to the storm stopping).</summary>
    public bool Lost => Volatile.Read(ref _lost) == 1;

    public bool Open { get; private set; } = true;

    internal void AddAcked(long count) => Interlocked.Add(ref _acked, count);

    internal void End(bool lost)
    {
        if (lost) Volatile.Write(ref _lost, 1);
        Open = false;
    }

    public override string ToString() => $"writer-{Client}@{Node}#{Sequence} ({Acked} acked{(Lost ? ", lost" : Open ? ", open" : "")})";
}
