using Akka.Actor;
using Akka.Cluster;
using TopGun.Core.Clock;
using static Akka.Cluster.ClusterEvent;

namespace TopGun.Server.Replication;

/// <summary>
/// One per node (<c>/user/topgun-replicas</c>): holds this node's <see cref="PartitionReplica"/>s, keyed by
/// partition entity id, routes owners' messages to them, and asks all of them to reconcile after any
/// membership change (a node that left may have been an owner that missed nothing, or one whose deltas were lost).
/// </summary>
internal sealed class ReplicaHost : ReceiveActor
{
    private readonly Dictionary<string, IActorRef> _replicas = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, string> _entityOf = [];
    private long _nextName;

    public ReplicaHost(ReplicationSettings settings, Hlc hlc)
    {
        Receive<ReplicaDelta>(d => Replica(d.EntityId, settings, hlc).Forward(d));
        Receive<ReconcileWithOwner>(r =>
        {
            if (_replicas.TryGetValue(r.EntityId, out var replica)) replica.Forward(r);
            else if (r.CreateIfMissing) Replica(r.EntityId, settings, hlc).Forward(r);
            else Sender.Tell(new NoReplica(r.EntityId));
        });
        Receive<ReplicaRelease>(r =>
        {
            if (_replicas.TryGetValue(r.EntityId, out var replica)) replica.Forward(r);
        });
        Receive<GetReplicaRoots>(_ =>
        {
            var asks = _replicas.Values.Select(r => r.Ask<ReplicaTicks.RootReport>(ReplicaTicks.GetRoot.Instance, TimeSpan.FromSeconds(10))).ToArray();
            Task.WhenAll(asks)
                .ContinueWith(t => (object)new ReplicaRoots(t.Result.ToDictionary(x => x.EntityId, x => x.Root, StringComparer.Ordinal)), TaskContinuationOptions.OnlyOnRanToCompletion)
                .PipeTo(Sender);
        });
        Receive<IMemberEvent>(_ => Broadcast());
        Receive<IReachabilityEvent>(_ => Broadcast());
        Receive<CurrentClusterState>(_ => { });
        Receive<Terminated>(t =>
        {
            if (_entityOf.Remove(t.ActorRef, out var entityId)) _replicas.Remove(entityId);
        });
    }

    public static Props Props(ReplicationSettings settings, Hlc hlc) => Akka.Actor.Props.Create(() => new ReplicaHost(settings, hlc));

    protected override void PreStart() =>
        Cluster.Get(Context.System).Subscribe(Self, InitialStateAsSnapshot, typeof(IMemberEvent), typeof(IReachabilityEvent));

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);

    private void Broadcast()
    {
        foreach (var replica in _replicas.Values) replica.Tell(ReplicaTicks.ReconcileNow.Instance);
    }

    private IActorRef Replica(string entityId, ReplicationSettings settings, Hlc hlc)
    {
        if (_replicas.TryGetValue(entityId, out var existing)) return existing;
        // Entity ids may hold characters actor names do not allow; the dictionary keeps the mapping.
        var replica = Context.ActorOf(PartitionReplica.Props(entityId, settings, hlc), "replica-" + _nextName++);
        Context.Watch(replica);
        _replicas[entityId] = replica;
        _entityOf[replica] = entityId;
        return replica;
    }
}
