using TopGun.Server.Serialization;

namespace TopGun.Server.Counters;

/// <summary>Routes <paramref name="Command"/> through the "counter" shard region to the entity of counter <paramref name="Name"/>.</summary>
internal sealed record CounterEnvelope(string Name, ICounterCommand Command) : ICounterSerializable;
