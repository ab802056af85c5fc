using Akka.Actor;
using TopGun.Server.Replication;

namespace TopGun.Cluster.Tests.Support;

/// <summary>
/// A node's delta link as a lossy network: while <see cref="Drop"/> is set the owners' deltas vanish on the
/// way, leaving the repair to anti-entropy and REPLICATED waits unconfirmed.
/// </summary>
internal sealed class LossyDeltaLink : IDeltaLink
{
    private volatile bool _drop;
    private long _dropped;

    public bool Drop
    {
        get => _drop;
        set => _drop = value;
    }

    /// <summary>Deltas this link threw away.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Send(ActorSelection replicaHost, ReplicaDelta delta, IActorRef owner)
    {
        if (_drop)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }
        RemotingDeltaLink.Instance.Send(replicaHost, delta, owner);
    }
}
