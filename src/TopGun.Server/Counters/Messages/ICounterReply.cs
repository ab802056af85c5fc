using TopGun.Server.Serialization;

namespace TopGun.Server.Counters;

/// <summary>What a <see cref="CounterEntity"/> sends to a connection (node to node): answers to its commands and pushed changes.</summary>
internal interface ICounterReply : ICounterSerializable
{
    string Name { get; }
}
