using TopGun.Server.Serialization;

namespace TopGun.Server.Topics;

/// <summary>
/// Marks the topics module's node-to-node types. reference.conf binds this one interface to <see cref="Serialization.TopicSerializer"/>,
/// so a new type of the module needs its manifest registered there and no binding line.
/// </summary>
internal interface ITopicSerializable : ITopGunSerializable;
