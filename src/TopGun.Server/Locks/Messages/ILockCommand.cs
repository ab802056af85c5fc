using Akka.Actor;
using TopGun.Server.Serialization;

namespace TopGun.Server.Locks;

/// <summary>
/// Node-to-node command for the "lock" region (entity id = <see cref="Name"/>), sent by a connection actor on
/// behalf of its client. <see cref="Client"/> is the connection itself: the lock's identity for the client,
/// death-watched by the entity, and where the <see cref="ILockReply"/> goes.
/// </summary>
internal interface ILockCommand : ILockSerializable
{
    string Name { get; }

    IActorRef Client { get; }
}
