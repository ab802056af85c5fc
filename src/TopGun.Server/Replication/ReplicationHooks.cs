using Akka.Actor;

namespace TopGun.Server.Replication;

/// <summary>
/// Fault injection for tests: with <see cref="DropDeltas"/> set, owners on this node discard the deltas
/// they would send to replicas (as a lossy network would), leaving the repair to anti-entropy.
/// </summary>
public sealed class ReplicationHooks : IExtension
{
    private volatile bool _dropDeltas;

    public static ReplicationHooks Get(ActorSystem system) => system.WithExtension<ReplicationHooks, ReplicationHooksProvider>();

    public bool DropDeltas
    {
        get => _dropDeltas;
        set => _dropDeltas = value;
    }
}

public sealed class ReplicationHooksProvider : ExtensionIdProvider<ReplicationHooks>
{
    public override ReplicationHooks CreateExtension(ExtendedActorSystem system) => new();
}
