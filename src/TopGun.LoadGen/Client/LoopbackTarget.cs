using System.Net;

namespace TopGun.LoadGen.Client;

/// <summary>
/// The load generator only ever points at the local machine: it can open thousands of sockets and push
/// tens of thousands of writes a second, which must never land on someone else's server by a typo.
/// </summary>
public static class LoopbackTarget
{
    public static Uri Parse(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss"))
            throw new ArgumentException($"'{url}' is not a ws:// or wss:// URL.");
        if (!IsLoopback(uri.Host))
            throw new ArgumentException($"'{uri.Host}' is not a loopback address; the load generator only targets this machine (127.0.0.1, ::1, localhost).");
        return uri;
    }

    public static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
