namespace TopGun.LoadGen.Measurement;

/// <summary>
/// What the clients of one target URL (one node) achieved in a write run, so a multi-node run shows whether
/// a node lagged behind the others rather than only their sum. Updated concurrently by the clients' ack callbacks.
/// </summary>
public sealed class TargetTally(Uri url)
{
    private long _acked;
    private long _failed;
    private long _lost;
    private long _lastAck;

    public Uri Url { get; } = url;

    public int Clients { get; set; }

    public LatencyRecorder Latency { get; } = new();

    public long Acked => Interlocked.Read(ref _acked);

    public long Failed => Interlocked.Read(ref _failed);

    public long Lost => Interlocked.Read(ref _lost);

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp of the latest ack from this target; 0 before the first.</summary>
    public long LastAck => Interlocked.Read(ref _lastAck);

    public void AddAcked(long ops, long ackedAt)
    {
        Interlocked.Add(ref _acked, ops);
        var seen = Interlocked.Read(ref _lastAck);
        while (ackedAt > seen)
        {
            var previous = Interlocked.CompareExchange(ref _lastAck, ackedAt, seen);
            if (previous == seen) break;
            seen = previous;
        }
    }

    public void AddFailed(long ops) => Interlocked.Add(ref _failed, ops);

    public void AddLost(long ops) => Interlocked.Add(ref _lost, ops);
}
