using Akka.Actor;

namespace TopGun.Server.Locks;

/// <summary>
/// LOCK_REQUEST as the entity sees it, with the ttl already clamped. Idempotent per (<see cref="ILockCommand.Client"/>,
/// <see cref="RequestId"/>): the connection re-sends it until granted, which survives lost messages and entity failover.
/// </summary>
internal sealed record AcquireLock(string Name, string RequestId, long TtlMs, IActorRef Client) : ILockCommand;
