using Akka.Actor;
using TopGun.Core.Clock;

namespace TopGun.Server.Maps;

/// <summary>What owner-side replication may use of its <see cref="MapPartition"/>; valid only inside the partition's message processing.</summary>
internal interface IReplicatedPartition
{
    PartitionState State { get; }

    Hlc Clock { get; }

    IActorContext Context { get; }

    ITimerScheduler Timers { get; }

    /// <summary>Persists and publishes records that came from a replica, like any write, with nobody to answer.</summary>
    void MergeFromReplica(PartitionUpdate update);

    /// <summary>The partition serves: the commands stashed while it reconciled run now.</summary>
    void Unstash();
}
