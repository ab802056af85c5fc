namespace TopGun.Server.Configuration;

/// <summary>
/// How the node proves its journal works (<c>topgun.readiness</c>): before it reports ready, and every
/// <see cref="ProbeInterval"/> after, so /ready follows the database when it goes away and comes back.
/// </summary>
public sealed record ReadinessSettings(TimeSpan ProbeTimeout, TimeSpan ProbeRetryInterval, TimeSpan ProbeInterval);
