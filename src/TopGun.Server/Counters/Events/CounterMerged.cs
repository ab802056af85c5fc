using TopGun.Core.Crdt;
using TopGun.Server.Serialization;

namespace TopGun.Server.Counters;

/// <summary>Persisted: the entries that grew in one batch of merges (max-merged on replay, so replay is idempotent).</summary>
internal sealed record CounterMerged(PnCounterState Grown) : ICounterSerializable;
