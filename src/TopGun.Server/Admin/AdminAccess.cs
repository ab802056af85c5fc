using System.Net;

namespace TopGun.Server.Admin;

/// <summary>
/// Who may read the <c>/admin/*</c> views: anyone when <c>topgun.admin.allow-remote = on</c>, otherwise only a
/// caller whose TCP peer address is loopback. The decision takes the connection's address and nothing from the
/// request: an <c>X-Forwarded-For</c> or <c>Forwarded</c> header is whatever the caller chose to write.
/// </summary>
internal static class AdminAccess
{
    public static bool IsAllowed(IPAddress? remote, AdminSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.AllowRemote) return true;
        // No peer address (e.g. an in-memory transport) proves nothing about where the caller is.
        if (remote is null) return false;
        // A dual-stack listener reports IPv4 peers as ::ffff:a.b.c.d; the whole 127/8 range is loopback there too.
        if (remote.IsIPv4MappedToIPv6) remote = remote.MapToIPv4();
        return IPAddress.IsLoopback(remote);
    }
}
