namespace TopGun.Server.Configuration;

/// <summary>Hybrid logical clock drift policy (<c>topgun.hlc</c>).</summary>
public sealed record HlcSettings(TimeSpan MaxDrift, bool Strict);
