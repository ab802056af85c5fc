using TopGun.Core.Values;

namespace TopGun.Core.Crdt;

/// <summary>
/// Immutable PN-counter state <c>{p: {nodeId: number}, n: {nodeId: number}}</c> (protocol §2, §6).
/// Entries are finite and non-negative; zero entries are dropped so equal counters compare equal
/// however they were built. Node ids iterate in ordinal order, which fixes the summation order and
/// so the exact double a fractional counter reports on every replica.
/// </summary>
public sealed record PnCounterState
{
    private readonly SortedDictionary<string, double> _p;
    private readonly SortedDictionary<string, double> _n;

    public static PnCounterState Empty { get; } = new(new Dictionary<string, double>(), new Dictionary<string, double>());

    public PnCounterState(IEnumerable<KeyValuePair<string, double>> p, IEnumerable<KeyValuePair<string, double>> n)
    {
        _p = Normalize(p, nameof(p));
        _n = Normalize(n, nameof(n));
    }

    public IReadOnlyDictionary<string, double> P => _p;

    public IReadOnlyDictionary<string, double> N => _n;

    public double Value
    {
        get
        {
            var sum = 0.0;
            foreach (var v in _p.Values) sum += v;
            foreach (var v in _n.Values) sum -= v;
            return sum;
        }
    }

    /// <summary>Per-node maximum of both sides: commutative, associative, idempotent.</summary>
    public PnCounterState Merge(PnCounterState other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new PnCounterState(MaxMerge(_p, other._p), MaxMerge(_n, other._n));
    }

    /// <summary>The wire shape <c>{p, n}</c>; always this shape, whatever shape arrived.</summary>
    public Value ToValue() =>
        Values.Value.Map(("p", ToMap(_p)), ("n", ToMap(_n)));

    /// <summary>
    /// Reads <c>{p, n}</c> or the TS client's <c>{positive, negative}</c>. A missing side is empty;
    /// entries must be finite non-negative numbers.
    /// </summary>
    public static bool TryFromValue(Value value, out PnCounterState state, out string error)
    {
        state = Empty;
        if (value is not MapValue map)
        {
            error = "counter state must be an object {p, n}";
            return false;
        }
        var hasShort = map.TryGet("p", out var p) | map.TryGet("n", out var n);
        if (!hasShort)
        {
            var hasLong = map.TryGet("positive", out p) | map.TryGet("negative", out n);
            if (!hasLong)
            {
                error = "counter state must have 'p' and 'n' (or 'positive' and 'negative')";
                return false;
            }
        }
        if (!TryReadSide(p, "p", out var pEntries, out error) || !TryReadSide(n, "n", out var nEntries, out error)) return false;
        state = new PnCounterState(pEntries, nEntries);
        error = "";
        return true;
    }

    public bool Equals(PnCounterState? other) =>
        other is not null && SideEquals(_p, other._p) && SideEquals(_n, other._n);

    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var (k, v) in _p) { h.Add(k); h.Add(v); }
        h.Add('|');
        foreach (var (k, v) in _n) { h.Add(k); h.Add(v); }
        return h.ToHashCode();
    }

    public override string ToString() => ToValue().ToString();

    private static bool TryReadSide(Value side, string name, out List<KeyValuePair<string, double>> entries, out string error)
    {
        entries = [];
        error = "";
        // An absent side arrives as Null from TryGet; a counter that only ever went up has no negatives.
        if (side.IsNull) return true;
        if (side is not MapValue map)
        {
            error = $"counter state '{name}' must be an object of node id to number";
            return false;
        }
        foreach (var (nodeId, v) in map.Entries)
        {
            if (!v.TryGetNumber(out var d))
            {
                error = $"counter state '{name}.{nodeId}' must be a number";
                return false;
            }
            if (!double.IsFinite(d) || d < 0)
            {
                error = $"counter state '{name}.{nodeId}' must be a finite non-negative number";
                return false;
            }
            if (nodeId.Length == 0)
            {
                error = $"counter state '{name}' has an empty node id";
                return false;
            }
            entries.Add(new(nodeId, d));
        }
        return true;
    }

    private static SortedDictionary<string, double> Normalize(IEnumerable<KeyValuePair<string, double>> entries, string name)
    {
        ArgumentNullException.ThrowIfNull(entries, name);
        var result = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (nodeId, v) in entries)
        {
            if (string.IsNullOrEmpty(nodeId)) throw new ArgumentException("Counter node ids must not be empty", name);
            if (!double.IsFinite(v) || v < 0) throw new ArgumentException($"Counter entry '{nodeId}' must be finite and non-negative, was {v}", name);
            if (v > 0) result[nodeId] = v;
            else result.Remove(nodeId);
        }
        return result;
    }

    private static IEnumerable<KeyValuePair<string, double>> MaxMerge(SortedDictionary<string, double> a, SortedDictionary<string, double> b)
    {
        var result = new Dictionary<string, double>(a, StringComparer.Ordinal);
        foreach (var (k, v) in b)
            if (!result.TryGetValue(k, out var mine) || v > mine) result[k] = v;
        return result;
    }

    private static bool SideEquals(SortedDictionary<string, double> a, SortedDictionary<string, double> b)
    {
        if (a.Count != b.Count) return false;
        foreach (var (k, v) in a)
            if (!b.TryGetValue(k, out var w) || w != v) return false;
        return true;
    }

    private static Value ToMap(SortedDictionary<string, double> side) =>
        Values.Value.Map(side.Select(e => new KeyValuePair<string, Value>(e.Key, Values.Value.Of(e.Value))));
}
