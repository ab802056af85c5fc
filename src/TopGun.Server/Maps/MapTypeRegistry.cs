using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Persistence;
using TopGun.Core.Crdt;

namespace TopGun.Server.Maps;

/// <summary>
/// Sharded entity per map name (type "map-type"): the first <see cref="ClaimMapType"/> fixes the map's
/// kind for good; every claim is answered with the kind that holds. Partitions double-check per op.
/// </summary>
internal sealed class MapTypeRegistry : ReceivePersistentActor
{
    private MapKind? _kind;

    public MapTypeRegistry(string mapName, TimeSpan passivateAfter)
    {
        MapName = mapName;
        PersistenceId = "map-type|" + mapName;
        Recover<MapTypeFixed>(e => _kind = e.Kind);
        Recover<RecoveryCompleted>(_ =>
        {
            if (passivateAfter > TimeSpan.Zero) Context.SetReceiveTimeout(passivateAfter);
        });
        Command<ClaimMapType>(claim =>
        {
            if (_kind is { } kind)
            {
                Sender.Tell(new MapTypeClaimed(MapName, kind));
                return;
            }
            var replyTo = Sender;
            // Persist (not PersistAsync): later claims must wait for the first one to be durable.
            Persist(new MapTypeFixed(MapName, claim.Kind), e =>
            {
                _kind = e.Kind;
                replyTo.Tell(new MapTypeClaimed(MapName, e.Kind));
            });
        });
        Command<ReceiveTimeout>(_ => Context.Parent.Tell(new Passivate(PoisonPill.Instance)));
    }

    public string MapName { get; }

    public override string PersistenceId { get; }

    public static Props Props(string mapName, TimeSpan passivateAfter) =>
        Akka.Actor.Props.Create(() => new MapTypeRegistry(mapName, passivateAfter));
}
