namespace TopGun.Server.Maps;

/// <summary>A map partition's answer to an <see cref="IPartitionCommand"/> with the same correlation id.</summary>
internal interface IPartitionReply
{
    long CorrelationId { get; }
}
