using TopGun.Core.Protocol;
using TopGun.Server.Clients;
using TopGun.Server.Security;

namespace TopGun.Server.Gateway;

/// <summary>
/// Access control for every message that names a map (protocol.md §5): READ for sync, diffs and queries,
/// PUT/REMOVE per write op. Grants are resolved once per map and cached for the connection's life, since
/// policies and the principal do not change while it is open.
/// </summary>
internal sealed partial class ConnectionActor
{
    // A hostile client naming endless distinct maps must not grow the cache without bound.
    private const int MaxCachedGrants = 1024;

    private readonly Dictionary<string, AccessGrant> _grants = new(StringComparer.Ordinal);

    private AccessGrant Grant(string resource)
    {
        if (_principal is null) return AccessGrant.Nothing;
        if (_grants.TryGetValue(resource, out var grant)) return grant;
        if (_grants.Count >= MaxCachedGrants) _grants.Clear();
        grant = _access.Resolve(_principal, resource);
        _grants[resource] = grant;
        return grant;
    }

    private bool MayRead(string type, string mapName)
    {
        if (Grant(mapName).Allows(AccessAction.Read)) return true;
        Denied(type, mapName);
        return false;
    }

    private void Denied(string type, string mapName) => Denied($"{type} on map '{mapName}'", ServerErrors.DeniedOnMap(type, mapName));

    private void Denied(string what, ErrorMessage reply)
    {
        LogRejected("Client {0} was denied: {1}", $"{what} for {_principal}");
        _channel.Send(reply);
    }

    /// <summary>Per protocol.md §5: REMOVE when the op removes (also OR_REMOVE, ours) or writes a null value, else PUT.</summary>
    private static AccessAction ActionOf(ClientOp op) =>
        op.OpType is "REMOVE" or "OR_REMOVE" || op.Record is { Value.IsNull: true } ? AccessAction.Remove : AccessAction.Put;
}
