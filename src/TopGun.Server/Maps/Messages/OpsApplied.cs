using TopGun.Core.Protocol;
using TopGun.Server.Serialization;

namespace TopGun.Server.Maps;

/// <summary>Reply to <see cref="ApplyLwwOps"/> / <see cref="ApplyOrOps"/>: one outcome per op, in op order, and the write concern reached.</summary>
/// <param name="ConcernNotMet">
/// Set when the requested write concern was not reached (a REPLICATED write no replica confirmed in time): the ops
/// whose outcome succeeded are applied and journaled, but only at <paramref name="Achieved"/>, and this is the error
/// to report for the ops that asked for more.
/// </param>
internal sealed record OpsApplied(long CorrelationId, IReadOnlyList<OpOutcome> Outcomes, WriteConcern Achieved, string? ConcernNotMet = null) : IPartitionReply, IMapSerializable;
