namespace TopGun.Server.Membership;

/// <summary>What one TCP connection attempt to a member's cluster port tells about its process.</summary>
internal enum PortState
{
    /// <summary>The connection was accepted: something listens, even if its process is paused (the kernel accepts on its behalf).</summary>
    Listening,

    /// <summary>The host answered with a reset: it is up and nothing listens on the port, so the member's process is gone.</summary>
    Refused,

    /// <summary>Timeout, unreachable host or network, name resolution failure: could be a partition, so it proves nothing.</summary>
    Unknown,
}
