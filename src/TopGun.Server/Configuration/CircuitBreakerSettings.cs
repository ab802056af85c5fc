namespace TopGun.Server.Configuration;

/// <summary>
/// Akka.Persistence's circuit breaker in front of the journal and the snapshot store (<c>topgun.storage.circuit-breaker</c>):
/// after <see cref="MaxFailures"/> failed or slow calls in a row every call fails fast for <see cref="ResetTimeout"/>, then
/// one trial call decides whether it closes. Akka's 30 s reset keeps a node failing that long after its database is back.
/// </summary>
public sealed record CircuitBreakerSettings(int MaxFailures, TimeSpan CallTimeout, TimeSpan ResetTimeout)
{
    public static CircuitBreakerSettings Default { get; } = new(10, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2));
}
