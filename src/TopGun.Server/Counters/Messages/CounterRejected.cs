namespace TopGun.Server.Counters;

/// <summary>Answer to a <see cref="SyncCounter"/> that was refused; nothing of it was merged.</summary>
internal sealed record CounterRejected(string Name, long CorrelationId, string Reason) : ICounterReply;
