using TopGun.Core.Crdt;
using TopGun.Server.Serialization;

namespace TopGun.Server.Counters;

/// <summary>Snapshot of a counter's whole state, bounding recovery to the events after it.</summary>
internal sealed record CounterSnapshot(PnCounterState State) : ICounterSerializable;
