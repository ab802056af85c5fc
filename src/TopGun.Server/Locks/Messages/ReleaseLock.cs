using Akka.Actor;

namespace TopGun.Server.Locks;

/// <summary>LOCK_RELEASE as the entity sees it; <see cref="CorrelationId"/> matches the <see cref="LockReleaseResult"/>.</summary>
internal sealed record ReleaseLock(string Name, long FencingToken, long CorrelationId, IActorRef Client) : ILockCommand;
