using TopGun.Core.Crdt;
using TopGun.Server.Maps;

namespace TopGun.Server.Gateway;

/// <summary>
/// A map's kind (LWW or OR) is fixed map-wide by its first op: the connection claims it once per map from the
/// node's registry and remembers the answer, so later writes of that map wait for nothing.
/// </summary>
internal sealed partial class ConnectionActor
{
    private static readonly TimeSpan ClaimRetryInterval = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, MapKind> _mapKinds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Action<MapKind>>> _kindWaiters = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="continuation"/> with the map's kind, claiming it first when this connection has not seen the map.</summary>
    private void WithMapKind(string mapName, MapKind wanted, Action<MapKind> continuation)
    {
        if (_mapKinds.TryGetValue(mapName, out var known))
        {
            continuation(known);
            return;
        }
        if (!_kindWaiters.TryGetValue(mapName, out var waiters))
        {
            waiters = [];
            _kindWaiters[mapName] = waiters;
            ClaimMapKind(new ClaimMapType(mapName, wanted));
        }
        waiters.Add(continuation);
    }

    /// <summary>
    /// Claims are idempotent, so an unanswered one is sent again: a claim can be lost when the registry's
    /// node dies, and without a retry every later write of that map on this connection would time out.
    /// </summary>
    private void ClaimMapKind(ClaimMapType claim)
    {
        _deps.MapTypes.Tell(claim, Self);
        Timers.StartSingleTimer(new ClaimTimerKey(claim.MapName), new ClaimUnanswered(claim), ClaimRetryInterval);
    }

    private void OnClaimUnanswered(ClaimUnanswered unanswered)
    {
        if (_kindWaiters.ContainsKey(unanswered.Claim.MapName)) ClaimMapKind(unanswered.Claim);
    }

    private void OnMapTypeClaimed(MapTypeClaimed claimed)
    {
        _mapKinds[claimed.MapName] = claimed.Actual;
        Timers.Cancel(new ClaimTimerKey(claimed.MapName));
        if (!_kindWaiters.Remove(claimed.MapName, out var waiters)) return;
        foreach (var continuation in waiters) continuation(claimed.Actual);
    }

    private sealed record ClaimUnanswered(ClaimMapType Claim);

    private sealed record ClaimTimerKey(string MapName);
}
