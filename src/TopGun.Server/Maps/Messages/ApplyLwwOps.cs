using TopGun.Core.Protocol;
using TopGun.Server.Serialization;

namespace TopGun.Server.Maps;

/// <summary>
/// Merge LWW ops into a partition. Answered with <see cref="OpsApplied"/> once the resulting event is
/// durable (or right after the merge when <c>topgun.ack = memory</c> and <see cref="Concern"/> is below PERSISTED).
/// <see cref="OriginId"/> is the writer's client id, carried into <see cref="MapChanged"/> so it is not echoed.
/// </summary>
internal sealed record ApplyLwwOps(long CorrelationId, IReadOnlyList<LwwOp> Ops, WriteConcern Concern, string OriginId) : IPartitionCommand, IMapSerializable;
