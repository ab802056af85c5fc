using TopGun.Core.Crdt;

namespace TopGun.Server.Counters;

/// <summary>Answer to <see cref="SyncCounter"/>: the durable state after the merge.</summary>
internal sealed record CounterSynced(string Name, long CorrelationId, PnCounterState State) : ICounterReply;
