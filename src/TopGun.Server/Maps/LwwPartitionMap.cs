using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Merkle;
using TopGun.Core.Queries;

namespace TopGun.Server.Maps;

/// <summary>A partition of an LWW map: one record per key, tombstones kept as records.</summary>
internal sealed class LwwPartitionMap : PartitionMap
{
    public LwwPartitionMap(Hlc hlc, Func<string, string?> keyError)
        : base(hlc, keyError) => Map = new LwwMap(hlc);

    public LwwMap Map { get; }

    public override MapKind Kind => MapKind.Lww;

    public override MerkleTree Merkle => Map.Merkle;

    public static LwwPartitionMap FromSnapshot(LwwPartitionSnapshot snapshot, Hlc hlc, Func<string, string?> keyError)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var map = new LwwPartitionMap(hlc, keyError);
        foreach (var (key, record) in snapshot.Records) map.Map.Merge(key, record);
        return map;
    }

    /// <summary>Merges <paramref name="ops"/>; the event carries only the records that changed state.</summary>
    public PartitionUpdate Apply(IReadOnlyList<LwwOp> ops)
    {
        ArgumentNullException.ThrowIfNull(ops);
        var outcomes = new OpOutcome[ops.Count];
        List<KeyValuePair<string, LwwRecord>>? changed = null;
        for (var i = 0; i < ops.Count; i++)
        {
            var op = ops[i];
            if (KeyError(op.Key) is { } error)
            {
                outcomes[i] = OpOutcome.Failed(op.OpId, error);
                continue;
            }
            try
            {
                if (Map.Merge(op.Key, op.Record)) (changed ??= []).Add(new(op.Key, op.Record));
                outcomes[i] = OpOutcome.Ok(op.OpId);
            }
            catch (ClockDriftException e)
            {
                outcomes[i] = OpOutcome.Failed(op.OpId, e.Message);
            }
        }
        if (changed is null) return new PartitionUpdate(null, [], outcomes);
        var changes = changed.Select(c => new MapChange(c.Key, c.Value, null, null)).ToArray();
        return new PartitionUpdate(new LwwRecordsMerged(changed, Hlc.Now()), changes, outcomes);
    }

    public void Replay(LwwRecordsMerged merged)
    {
        ArgumentNullException.ThrowIfNull(merged);
        foreach (var (key, record) in merged.Records) Map.Merge(key, record);
    }

    /// <summary>An expired record becomes a tombstone at its expiry time, with the same id on every node, so replicas agree.</summary>
    public override PartitionUpdate ExpireTtl()
    {
        var expired = Map.ExpireRecords(MapSettings.ExpiryNodeId);
        if (expired.Count == 0) return PartitionUpdate.None;
        var changes = expired.Select(e => new MapChange(e.Key, e.Value, null, null)).ToArray();
        return new PartitionUpdate(new LwwRecordsMerged(expired, Hlc.Now()), changes, []);
    }

    public override IPartitionEvent? Prune(Timestamp olderThan) =>
        Map.Prune(olderThan).Count > 0 ? new LwwTombstonesPruned(olderThan) : null;

    public override object ToSnapshot(Timestamp clockLast) => new LwwPartitionSnapshot(Map.Records.ToArray(), clockLast);

    public override IMerkleNodeReply Leaf(long correlationId, string path, IReadOnlyCollection<string> keys) =>
        new LwwLeaf(correlationId, path, keys.Select(k => new KeyValuePair<string, LwwRecord>(k, Map.GetRecord(k)!)).ToArray());

    public override IEnumerable<QueryCandidate> Candidates(long nowMillis)
    {
        foreach (var (key, record) in Map.Records)
            if (!record.IsTombstone && !record.IsExpired(nowMillis))
                yield return new QueryCandidate(key, record.Value, record.Timestamp);
    }

    public override IPartitionEvent? RecordsOf(IReadOnlyList<string> keys, Timestamp serverTime)
    {
        var records = keys
            .Select(k => (Key: k, Record: Map.GetRecord(k)))
            .Where(x => x.Record is not null)
            .Select(x => new KeyValuePair<string, LwwRecord>(x.Key, x.Record!))
            .ToArray();
        return records.Length > 0 ? new LwwRecordsMerged(records, serverTime) : null;
    }
}
