namespace TopGun.Server.Maps;

/// <summary>
/// A request to one map partition (internal, node to node; wrapped in a <see cref="PartitionEnvelope"/>).
/// The reply carries the same <see cref="CorrelationId"/>.
/// </summary>
internal interface IPartitionCommand
{
    long CorrelationId { get; }
}
