using TopGun.Core.Protocol;
using TopGun.Server.Serialization;

namespace TopGun.Server.Maps;

/// <summary>Reply to <see cref="ApplyLwwOps"/> / <see cref="ApplyOrOps"/>: one outcome per op, in op order, and the write concern reached.</summary>
public sealed record OpsApplied(long CorrelationId, IReadOnlyList<OpOutcome> Outcomes, WriteConcern Achieved) : IPartitionReply, ITopGunSerializable;
