using TopGun.Core.Queries;
using TopGun.Server.Serialization;

namespace TopGun.Server.Maps;

/// <summary>Reply to <see cref="QueryPartition"/>, in query order.</summary>
/// <param name="SequenceNr">
/// The journal sequence number of the partition's newest event whose effect the page holds. A partition answers
/// from memory, so writes still in flight to the journal are counted: every <see cref="MapChanged"/> of this
/// partition with a <see cref="MapChanged.SequenceNr"/> up to it is already in the page. Null from a node of an
/// older build.
/// </param>
internal sealed record PartitionQueryResult(long CorrelationId, IReadOnlyList<QueryCandidate> Candidates, long? SequenceNr = null) : IPartitionReply, IMapSerializable;
