using TopGun.Core.Crdt;

namespace TopGun.Server.Counters;

/// <summary>
/// Max-merges a client's state into the counter and subscribes the sender; answered with <see cref="CounterSynced"/>
/// once the merge is durable, or <see cref="CounterRejected"/> when the counter would grow beyond its entry limit.
/// </summary>
internal sealed record SyncCounter(long CorrelationId, PnCounterState State) : ICounterCommand;
