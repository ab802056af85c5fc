namespace TopGun.Core.Crdt;

/// <summary>
/// A positive-negative counter (protocol §6): each node only grows its own p (increments) and
/// n (decrements) entries; value = Σp − Σn; merge takes the per-node maximum. Not thread-safe.
/// </summary>
public sealed class PnCounter
{
    private readonly Dictionary<string, double> _p = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _n = new(StringComparer.Ordinal);

    public PnCounter(PnCounterState? initial = null)
    {
        if (initial is null) return;
        foreach (var (k, v) in initial.P) _p[k] = v;
        foreach (var (k, v) in initial.N) _n[k] = v;
    }

    public PnCounterState State => new(_p, _n);

    public double Value => State.Value;

    public double Increment(string nodeId) => AddDelta(nodeId, 1);

    public double Decrement(string nodeId) => AddDelta(nodeId, -1);

    /// <summary>Adds <paramref name="delta"/> on behalf of <paramref name="nodeId"/>: to its p entry when positive, to its n entry when negative.</summary>
    /// <returns>The new value.</returns>
    public double AddDelta(string nodeId, double delta)
    {
        if (string.IsNullOrEmpty(nodeId)) throw new ArgumentException("Counter node id must not be empty", nameof(nodeId));
        if (!double.IsFinite(delta)) throw new ArgumentOutOfRangeException(nameof(delta), delta, "Counter delta must be finite");
        if (delta > 0) _p[nodeId] = _p.GetValueOrDefault(nodeId) + delta;
        else if (delta < 0) _n[nodeId] = _n.GetValueOrDefault(nodeId) - delta;
        return Value;
    }

    /// <summary>Takes the per-node maximum of <paramref name="remote"/> and this counter.</summary>
    /// <returns>Whether any entry grew.</returns>
    public bool Merge(PnCounterState remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        var changed = MaxInto(_p, remote.P);
        changed |= MaxInto(_n, remote.N);
        return changed;
    }

    private static bool MaxInto(Dictionary<string, double> mine, IReadOnlyDictionary<string, double> theirs)
    {
        var changed = false;
        foreach (var (k, v) in theirs)
        {
            if (mine.TryGetValue(k, out var current) && current >= v) continue;
            mine[k] = v;
            changed = true;
        }
        return changed;
    }
}
