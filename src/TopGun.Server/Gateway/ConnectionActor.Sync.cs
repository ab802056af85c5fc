using System.Diagnostics;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Values;
using TopGun.Server.Clients;
using TopGun.Server.Maps;
using TopGun.Server.Security;

namespace TopGun.Server.Gateway;

/// <summary>
/// Merkle sync (protocol.md §5). The map's tree is the sum of its partitions' subtrees: the root and the
/// levels above a partition are summed from partition roots, everything below is asked of one partition.
/// </summary>
internal sealed partial class ConnectionActor
{
    /// <summary>How long the roots a SYNC_INIT gathered answer the client's next root-level bucket request.</summary>
    private static readonly TimeSpan SyncRootsReuse = TimeSpan.FromSeconds(5);

    private const int MaxRememberedSyncRoots = 64;

    /// <summary>
    /// The partition roots gathered for a map's SYNC_INIT, kept for the MERKLE_REQ_BUCKET "" that a client with a
    /// different root sends next: answering it from the same roots saves a second scatter over every partition, and
    /// the buckets then describe exactly the root the client was told. Used once; bounded per connection.
    /// </summary>
    private readonly Dictionary<string, (IReadOnlyList<PartitionRoot> Roots, long At)> _syncRoots = new(StringComparer.Ordinal);

    private void OnSyncInit(SyncInitMessage init)
    {
        if (CheckMapName(init.MapName) is { } error)
        {
            InvalidMessage("SYNC_INIT " + error);
            return;
        }
        if (!MayRead(MessageTypes.SyncInit, init.MapName)) return;
        if (ResetIfTooOld(init.MapName, init.LastSyncTimestamp)) return;
        GatherRoots(init.MapName, partitions =>
        {
            RememberSyncRoots(init.MapName, partitions);
            _channel.Send(new SyncRespRootMessage(init.MapName, Sum(partitions), _deps.Clock.Now()));
        });
    }

    private void OnOrSyncInit(OrMapSyncInitMessage init)
    {
        if (CheckMapName(init.MapName) is { } error)
        {
            InvalidMessage("ORMAP_SYNC_INIT " + error);
            return;
        }
        if (!MayRead(MessageTypes.OrMapSyncInit, init.MapName)) return;
        if (ResetIfTooOld(init.MapName, init.LastSyncTimestamp)) return;
        GatherRoots(init.MapName, partitions =>
        {
            RememberSyncRoots(init.MapName, partitions);
            _channel.Send(new OrMapSyncRespRootMessage(init.MapName, Sum(partitions), _deps.Clock.Now()));
        });
    }

    /// <summary>
    /// A client whose last sync is older than the tombstone GC age may have missed tombstones that are
    /// pruned already, so a Merkle diff cannot tell it about those removals: only a full resync is safe.
    /// </summary>
    private bool ResetIfTooOld(string mapName, long? lastSyncTimestamp)
    {
        if (lastSyncTimestamp is not { } last || last <= 0) return false;
        if (_deps.Clock.WallMillis() - last <= (long)_deps.Settings.TombstoneGcAge.TotalMilliseconds) return false;
        _channel.Send(new SyncResetRequiredMessage(mapName));
        return true;
    }

    /// <summary>
    /// Tells the client the tombstone GC horizon (as the TS server does after each collection), so it prunes the
    /// tombstones the partitions prune and its replica does not grow forever. Pending ops live in the client's op
    /// log, not in its replica, so this cannot drop a removal that has not reached the server.
    /// </summary>
    private void SendGcPrune()
    {
        var horizon = _deps.Clock.WallMillis() - (long)_deps.Settings.TombstoneGcAge.TotalMilliseconds;
        if (horizon > 0) _channel.Send(new GcPruneMessage(new Timestamp(horizon, 0, _deps.Clock.NodeId)));
    }

    private void OnBucketRequest(string mapName, string path, MapKind kind)
    {
        var type = kind == MapKind.Lww ? MessageTypes.MerkleReqBucket : MessageTypes.OrMapMerkleReqBucket;
        if (CheckMapName(mapName) is { } error)
        {
            InvalidMessage(type + " " + error);
            return;
        }
        if (!IsTreePath(path))
        {
            InvalidMessage($"{type} payload.path: expected 0 to 3 lowercase hex digits");
            return;
        }
        if (!MayRead(type, mapName)) return;
        var fields = Grant(mapName).Fields;

        if (path.Length < _prefixLength)
        {
            // Above the partitions: each child bucket is the sum of the partition roots below it.
            void Answer(IReadOnlyList<PartitionRoot> roots)
            {
                var buckets = new SortedDictionary<char, uint>();
                foreach (var root in roots)
                {
                    if (root.Hash == 0 || !root.Partition.StartsWith(path, StringComparison.Ordinal)) continue;
                    var child = root.Partition[path.Length];
                    buckets[child] = unchecked(buckets.GetValueOrDefault(child) + root.Hash);
                }
                SendBuckets(kind, mapName, path, buckets);
            }
            if (path.Length == 0 && TakeSyncRoots(mapName) is { } remembered) Answer(remembered);
            else GatherRoots(mapName, Answer, path);
            return;
        }

        var gather = _gathers.Start(
            _deps.Gateway.OpTimeout,
            g =>
            {
                switch (g.Replies[0])
                {
                    case MerkleNodeHashes hashes:
                        SendBuckets(kind, mapName, path, hashes.Buckets);
                        break;
                    case LwwLeaf leaf when kind == MapKind.Lww:
                        _channel.Send(new SyncRespLeafMessage(mapName, path,
                            leaf.Records.Select(r => new SyncLeafRecord(r.Key, fields.Apply(r.Value))).ToArray()));
                        break;
                    case OrLeaf leaf when kind == MapKind.Or:
                        _channel.Send(new OrMapSyncRespLeafMessage(mapName, path, leaf.Entries.Select(e => ToWire(e, fields)).ToArray()));
                        break;
                    default:
                        _channel.Send(ServerErrors.NotOfKind(type, mapName, kind == MapKind.Lww ? "LWW" : "OR"));
                        break;
                }
            },
            (_, reason) => SyncFailed(type, mapName, reason));
        _gathers.Call(gather, mapName, path[.._prefixLength], c => new GetMerkleNode(c, kind, path));
    }

    private void OnOrDiffRequest(OrMapDiffRequestMessage request)
    {
        if (CheckMapName(request.MapName) is { } error)
        {
            InvalidMessage("ORMAP_DIFF_REQUEST " + error);
            return;
        }
        if (!MayRead(MessageTypes.OrMapDiffRequest, request.MapName)) return;
        var fields = Grant(request.MapName).Fields;
        var gather = _gathers.Start(
            _deps.Gateway.OpTimeout,
            g => _channel.Send(new OrMapDiffResponseMessage(request.MapName,
                g.Replies.OfType<OrEntriesResult>().SelectMany(r => r.Entries).Select(e => ToWire(e, fields)).ToArray())),
            (_, reason) => SyncFailed(MessageTypes.OrMapDiffRequest, request.MapName, reason));
        foreach (var group in request.Keys.AsSpan().ToArray().Where(k => k.Length > 0).Distinct(StringComparer.Ordinal).GroupBy(PartitionOf))
        {
            var keys = group.ToArray();
            _gathers.Call(gather, request.MapName, group.Key, c => new GetOrEntries(c, keys));
        }
        gather.CompleteIfEmpty();
    }

    private void OnOrPushDiff(OrMapPushDiffMessage push)
    {
        if (CheckMapName(push.MapName) is { } error)
        {
            InvalidMessage("ORMAP_PUSH_DIFF " + error);
            return;
        }
        if (!Grant(push.MapName).Allows(AccessAction.Put))
        {
            Denied(MessageTypes.OrMapPushDiff, push.MapName);
            return;
        }
        var entries = new List<OrEntry>(push.Entries.Count);
        foreach (var entry in push.Entries)
        {
            if (string.IsNullOrEmpty(entry.Key)) continue;
            foreach (var record in entry.Records)
            {
                if (ObserveTimestamp(record.Timestamp) is { } drift)
                {
                    _channel.Send(ServerErrors.PushDiffRejected(drift));
                    return;
                }
            }
            entries.Add(new OrEntry(entry.Key, entry.Records.AsSpan().ToArray(), entry.Tombstones.AsSpan().ToArray()));
        }

        var gather = _gathers.Start(
            _deps.Gateway.OpTimeout,
            WriteFinished,
            (g, reason) =>
            {
                SyncFailed(MessageTypes.OrMapPushDiff, push.MapName, reason);
                WriteFinished(g);
            });
        _writes.Add(gather);
        WithMapKind(push.MapName, MapKind.Or, actual =>
        {
            if (gather.IsFinished) return;
            if (actual != MapKind.Or)
            {
                gather.Fail(new GatherFailure.Rejected($"map '{push.MapName}' is an LWW map"));
                return;
            }
            foreach (var group in entries.GroupBy(e => PartitionOf(e.Key)))
            {
                var part = group.ToArray();
                _gathers.Call(gather, push.MapName, group.Key, c => new MergeOrEntries(c, part, _clientId));
            }
            gather.CompleteIfEmpty();
        });
    }

    /// <summary>Asks every partition (or those under <paramref name="prefix"/>) for its root.</summary>
    private void GatherRoots(string mapName, Action<IReadOnlyList<PartitionRoot>> onRoots, string prefix = "")
    {
        var gather = _gathers.Start(
            _deps.Gateway.OpTimeout,
            g => onRoots(g.Replies.OfType<PartitionRoot>().ToArray()),
            (_, reason) => SyncFailed("Merkle sync", mapName, reason));
        foreach (var partition in _partitions)
        {
            if (partition.StartsWith(prefix, StringComparison.Ordinal))
                _gathers.Call(gather, mapName, partition, c => new GetPartitionRoot(c));
        }
    }

    private void RememberSyncRoots(string mapName, IReadOnlyList<PartitionRoot> roots)
    {
        if (_syncRoots.Count >= MaxRememberedSyncRoots) _syncRoots.Clear();
        _syncRoots[mapName] = (roots, Stopwatch.GetTimestamp());
    }

    private IReadOnlyList<PartitionRoot>? TakeSyncRoots(string mapName) =>
        _syncRoots.Remove(mapName, out var kept) && Stopwatch.GetElapsedTime(kept.At) <= SyncRootsReuse ? kept.Roots : null;

    private static uint Sum(IReadOnlyList<PartitionRoot> roots)
    {
        uint sum = 0;
        foreach (var root in roots) sum = unchecked(sum + root.Hash);
        return sum;
    }

    private void SendBuckets(MapKind kind, string mapName, string path, IEnumerable<KeyValuePair<char, uint>> buckets)
    {
        var wire = new WireMap<uint>(buckets
            .OrderBy(b => b.Key)
            .Select(b => new KeyValuePair<string, uint>(b.Key.ToString(), b.Value))
            .ToArray());
        _channel.Send(kind == MapKind.Lww
            ? new SyncRespBucketsMessage(mapName, path, wire)
            : new OrMapSyncRespBucketsMessage(mapName, path, wire));
    }

    private void SyncFailed(string what, string mapName, GatherFailure failure)
    {
        if (_closing) return;
        _channel.Send(ServerErrors.SyncFailed(what, mapName, failure));
    }

    private static OrMapEntry ToWire(OrEntry entry, FieldFilter fields) =>
        new(entry.Key, entry.Records.Select(fields.Apply).ToArray(), entry.Tombstones.ToArray());

    private static bool IsTreePath(string path)
    {
        if (path.Length > 3) return false;
        foreach (var c in path)
        {
            if (c is not (>= '0' and <= '9' or >= 'a' and <= 'f')) return false;
        }
        return true;
    }
}
