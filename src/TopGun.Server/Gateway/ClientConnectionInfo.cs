using System.Net;

namespace TopGun.Server.Gateway;

/// <summary>What the gateway knows about an accepted socket before any protocol message.</summary>
internal sealed record ClientConnectionInfo(
    string ConnectionId,
    IPAddress? RemoteAddress,
    int RemotePort,
    string Path,
    long MaxFrameBytes);
