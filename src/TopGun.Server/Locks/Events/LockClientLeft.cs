using Akka.Actor;

namespace TopGun.Server.Locks;

/// <summary>A connection ended (or its node died): its queued requests are dropped, and its lease if it held one.</summary>
internal sealed record LockClientLeft(IActorRef Client) : ILockEvent;
