namespace TopGun.Server.Counters;

/// <summary>Reads the counter and subscribes the sender to its changes; answered with <see cref="CounterRead"/>.</summary>
internal sealed record GetCounter(long CorrelationId) : ICounterCommand;
