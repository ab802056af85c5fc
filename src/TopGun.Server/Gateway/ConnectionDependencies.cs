using Akka.Actor;
using TopGun.Core.Clock;
using TopGun.Server.Clients;
using TopGun.Server.Configuration;
using TopGun.Server.Security;

namespace TopGun.Server.Gateway;

/// <summary>
/// What every <see cref="ConnectionActor"/> of a node shares: settings, the token validator, the node
/// clock and the actors it talks to (the "map" and "map-type" shard regions and the node's <see cref="Maps.MapChangeFeed"/>;
/// TestKit probes in actor specs). <see cref="Access"/> null means the default policy (USER may do anything).
/// <see cref="Features"/> are how the connection reaches every other feature; null means
/// <see cref="ConnectionFeatures.Standard"/> of the connection's actor system. <see cref="StorageFailure"/> says why
/// the journal is unavailable right now (the node's journal probe), null while it answers; writes are then refused
/// at once with 503 instead of waiting for partitions that cannot persist.
/// </summary>
internal sealed record ConnectionDependencies(
    TopGunSettings Settings,
    GatewaySettings Gateway,
    TokenValidator Tokens,
    Hlc Clock,
    IActorRef Partitions,
    IActorRef MapTypes,
    IActorRef ChangeFeed,
    AccessControl? Access = null,
    IReadOnlyList<IConnectionFeature>? Features = null,
    Func<string?>? StorageFailure = null);
