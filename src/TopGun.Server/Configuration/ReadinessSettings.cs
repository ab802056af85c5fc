namespace TopGun.Server.Configuration;

/// <summary>How the node proves its journal works before reporting ready (<c>topgun.readiness</c>).</summary>
public sealed record ReadinessSettings(TimeSpan ProbeTimeout, TimeSpan ProbeRetryInterval);
