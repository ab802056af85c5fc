namespace TopGun.Core.Protocol;

/// <summary>When a write counts as acknowledged; the numeric order is the protocol's order of strength.</summary>
public enum WriteConcern
{
    FireAndForget = 0,
    Memory = 1,
    Applied = 2,
    Replicated = 3,
    Persisted = 4,
}
