using TopGun.Core.Crdt;

namespace TopGun.Server.Counters;

/// <summary>Answer to <see cref="GetCounter"/>: the counter's durable state.</summary>
internal sealed record CounterRead(string Name, long CorrelationId, PnCounterState State) : ICounterReply;
