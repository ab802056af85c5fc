namespace TopGun.Server.Maps;

/// <summary>Answers a write that waited for a replica: the level reached and, when the concern was not met, why.</summary>
internal delegate void ReplicaWaitAnswer(TopGun.Core.Protocol.WriteConcern achieved, string? concernNotMet);

/// <summary>
/// The owner's side of replication as a <see cref="MapPartition"/> sees it. The partition knows no replication
/// type: the implementation (in <c>Replication/</c>) is handed in through <see cref="IMapReplication"/>, so the
/// dependency points from Replication to Maps only. Every member is called from inside the partition's
/// message processing.
/// </summary>
internal interface IOwnerReplication
{
    /// <summary>False after recovery until the replicas were reconciled (or the reconcile timeout passed): commands wait in the stash.</summary>
    bool IsServing { get; }

    /// <summary>Recovery completed: reconcile with every member's replica, then serve.</summary>
    void BeginServing();

    /// <summary>Handles a message of the replication protocol (or a membership event); false for everything else.</summary>
    bool Receive(object message);

    /// <summary>Sends a delta to every replica; returns its number, or 0 when there is no replica to send to.</summary>
    long SendDelta(IPartitionEvent @event);

    /// <summary>A write of delta <paramref name="seq"/> waits for a replica's confirmation (and the journal when <paramref name="needsJournal"/>).</summary>
    void AwaitReplica(long seq, bool needsJournal, ReplicaWaitAnswer answer);

    /// <summary>The event of delta <paramref name="seq"/> is in the journal.</summary>
    void Journaled(long seq);

    /// <summary>A graceful stop: the journal holds everything, the replicas can go.</summary>
    void ReleaseReplicas();

    /// <summary>The partition actor stopped.</summary>
    void Stopped();
}
