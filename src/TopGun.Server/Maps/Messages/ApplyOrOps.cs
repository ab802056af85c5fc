using TopGun.Core.Protocol;
using TopGun.Server.Serialization;

namespace TopGun.Server.Maps;

/// <summary>Merge OR-map ops into a partition; answered like <see cref="ApplyLwwOps"/> with <see cref="OpsApplied"/>.</summary>
internal sealed record ApplyOrOps(long CorrelationId, IReadOnlyList<OrOp> Ops, WriteConcern Concern, string OriginId) : IPartitionCommand, IMapSerializable;
