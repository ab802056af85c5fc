using TopGun.Server.Serialization;

namespace TopGun.Server.Counters;

/// <summary>A command for one <see cref="CounterEntity"/>, carried in a <see cref="CounterEnvelope"/> (node to node).</summary>
internal interface ICounterCommand : ICounterSerializable
{
    long CorrelationId { get; }
}
