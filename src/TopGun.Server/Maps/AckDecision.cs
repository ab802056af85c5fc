using TopGun.Core.Protocol;
using TopGun.Server.Configuration;

namespace TopGun.Server.Maps;

/// <summary>What a write's reply waits for before it leaves the partition.</summary>
internal enum AckWait
{
    /// <summary>Nobody asked for a reply (TTL expiry, anti-entropy merges).</summary>
    NoReply,

    /// <summary>Answered right after the merge (<c>ack = memory</c> and a concern below PERSISTED).</summary>
    Now,

    /// <summary>Nothing changed: answered once every earlier write is durable, since an identical record may still be in flight.</summary>
    EarlierWrites,

    /// <summary>Answered from the persist handler of the write's own event.</summary>
    Journal,

    /// <summary>Answered when a replica confirmed the delta (and the journal, if <see cref="AckPlan.ReplicaNeedsJournal"/>), or the wait timed out.</summary>
    Replica,
}

/// <summary>The decision for one write: what to wait for and the level to report when the wait ends (replica waits settle it later).</summary>
internal readonly record struct AckPlan(AckWait Wait, WriteConcern Achieved, bool ReplicaNeedsJournal = false)
{
    public static AckPlan NoReply { get; } = new(AckWait.NoReply, WriteConcern.FireAndForget);
}

/// <summary>How a replica wait ends: the level reached and whether it is the one asked for.</summary>
internal readonly record struct ReplicaAnswer(WriteConcern Achieved, bool ConcernMet);

/// <summary>
/// When a partition acknowledges a write and at which level, as pure functions of what is known: the concern
/// asked for, the node's ack mode, whether the command changed state (and so has an event to journal), whether
/// its delta went to a replica, and for a replica wait what has happened since. Acked means durable unless
/// <c>ack = memory</c> was chosen; REPLICATED is reported only for a confirmation that came.
/// </summary>
internal static class AckDecision
{
    /// <summary>The decision when the command has just been merged.</summary>
    /// <param name="changed">The command produced an event to persist.</param>
    /// <param name="replicaSent">The event's delta went to at least one replica.</param>
    public static AckPlan Plan(WriteConcern requested, AckMode ack, bool changed, bool replicaSent)
    {
        var waitsForReplica = requested == WriteConcern.Replicated && changed && replicaSent;
        if (waitsForReplica) return new AckPlan(AckWait.Replica, WriteConcern.Replicated, ReplicaNeedsJournal: ack == AckMode.Persisted);
        if (ack == AckMode.Memory && requested < WriteConcern.Persisted)
            return new AckPlan(AckWait.Now, requested <= WriteConcern.Memory ? WriteConcern.Memory : WriteConcern.Applied);
        return new AckPlan(changed ? AckWait.Journal : AckWait.EarlierWrites, WriteConcern.Persisted);
    }

    /// <summary>
    /// A replica wait after an event of it (confirmation, journal write, timeout); null while it must go on waiting.
    /// A confirmed wait reports PERSISTED once journaled, else REPLICATED. A wait that timed out is answered once
    /// journaled, at APPLIED with the concern not met: PERSISTED ranks above REPLICATED, so reporting it would
    /// claim a confirmation that never came.
    /// </summary>
    public static ReplicaAnswer? Settle(bool replicated, bool journaled, bool needsJournal, bool timedOut)
    {
        if (replicated && (journaled || !needsJournal))
            return new ReplicaAnswer(journaled ? WriteConcern.Persisted : WriteConcern.Replicated, ConcernMet: true);
        if (timedOut && journaled) return new ReplicaAnswer(WriteConcern.Applied, ConcernMet: false);
        return null;
    }
}
