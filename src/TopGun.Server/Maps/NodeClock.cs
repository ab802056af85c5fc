using Akka.Actor;
using TopGun.Core.Clock;
using TopGun.Server.Configuration;

namespace TopGun.Server.Maps;

/// <summary>
/// The node's single hybrid logical clock, shared by every partition and connection on the node so
/// that no timestamp it issues is ever ≤ one it issued or received. Thread-safe (see <see cref="Core.Clock.Hlc"/>).
/// </summary>
internal sealed class NodeClock : IExtension
{
    public NodeClock(Hlc hlc)
    {
        Hlc = hlc ?? throw new ArgumentNullException(nameof(hlc));
    }

    public Hlc Hlc { get; }

    public static NodeClock Get(ActorSystem system) => system.WithExtension<NodeClock, NodeClockProvider>();

    /// <summary>A clock for <paramref name="settings"/>: the node id and drift policy of the node.</summary>
    public static Hlc CreateHlc(TopGunSettings settings, ITimeSource? time = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new Hlc(settings.NodeId, time, (long)settings.Hlc.MaxDrift.TotalMilliseconds, settings.Hlc.Strict ? DriftPolicy.Strict : DriftPolicy.Warn);
    }
}

internal sealed class NodeClockProvider : ExtensionIdProvider<NodeClock>
{
    public override NodeClock CreateExtension(ExtendedActorSystem system) =>
        new(NodeClock.CreateHlc(TopGunSettings.FromConfig(system.Settings.Config)));
}
