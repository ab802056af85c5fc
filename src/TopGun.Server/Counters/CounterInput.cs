using TopGun.Core.Crdt;
using TopGun.Core.Protocol;

namespace TopGun.Server.Counters;

/// <summary>
/// Validation of client counter input, before anything reaches an entity. Counts are what PN-counter clients
/// produce: non-negative integers a JS number holds exactly (at most 2^53 − 1); node ids are non-empty, bounded,
/// without ':' (protocol.md §2) or control characters (a repeated key already kept its last value when decoded,
/// as in a JS object). Anything else is refused whole.
/// </summary>
internal static class CounterInput
{
    public const double MaxSafeInteger = 9007199254740991;

    /// <returns>Null when the name is acceptable, else what is wrong with it.</returns>
    public static string? CheckName(string name, CounterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (string.IsNullOrEmpty(name)) return "counter name must not be empty";
        if (name.Length > settings.MaxNameLength) return $"counter name is longer than {settings.MaxNameLength} characters";
        if (name.Any(char.IsControl)) return "counter name must not contain control characters";
        return null;
    }

    public static bool TryParseState(CounterStatePayload payload, CounterSettings settings, out PnCounterState state, out string error)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(settings);
        state = PnCounterState.Empty;
        if (payload.P.Count + payload.N.Count > settings.MaxSyncEntries)
        {
            error = $"counter state has {payload.P.Count + payload.N.Count} node entries, at most {settings.MaxSyncEntries} are accepted";
            return false;
        }
        if (!TryReadSide(payload.P, "p", settings, out var p, out error) || !TryReadSide(payload.N, "n", settings, out var n, out error)) return false;
        state = new PnCounterState(p, n);
        return true;
    }

    private static bool TryReadSide(WireMap<double> side, string name, CounterSettings settings, out List<KeyValuePair<string, double>> entries, out string error)
    {
        entries = new List<KeyValuePair<string, double>>(side.Count);
        foreach (var (nodeId, count) in side)
        {
            if (CheckNodeId(nodeId, settings) is { } bad)
            {
                error = $"counter state '{name}': {bad}";
                return false;
            }
            if (!double.IsFinite(count) || count < 0 || count > MaxSafeInteger || Math.Floor(count) != count)
            {
                error = $"counter state '{name}.{nodeId}' must be a non-negative integer up to 2^53-1, was {count}";
                return false;
            }
            entries.Add(new(nodeId, count));
        }
        error = "";
        return true;
    }

    private static string? CheckNodeId(string nodeId, CounterSettings settings)
    {
        if (nodeId.Length == 0) return "a node id is empty";
        if (nodeId.Length > settings.MaxNodeIdLength) return $"a node id is longer than {settings.MaxNodeIdLength} characters";
        if (nodeId.Contains(':', StringComparison.Ordinal)) return $"node id '{nodeId}' contains ':'";
        if (nodeId.Any(char.IsControl)) return "a node id contains control characters";
        return null;
    }
}
