using TopGun.Core.Crdt;

namespace TopGun.Server.Counters;

/// <summary>Pushed to every subscriber but the syncing ones after a merge changed the counter durably.</summary>
internal sealed record CounterChanged(string Name, PnCounterState State) : ICounterReply;
