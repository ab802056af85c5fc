using TopGun.Client.Storage;
using TopGun.Core.Crdt;
using TopGun.Core.Merkle;
using TopGun.Core.Protocol;

namespace TopGun.Client.Sync;

/// <summary>Map pulls (LWW and OR Merkle walks) and server-pushed map changes.</summary>
internal sealed partial class SyncEngineActor
{
    private readonly Dictionary<string, MapKind> _maps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MerkleWalk> _walks = new(StringComparer.Ordinal);

    private void OnMapAdded(EngineMessages.MapAdded m)
    {
        if (!_maps.TryAdd(m.Name, m.Kind)) return;
        if (!IsAuthenticated) return;
        StartWalk(m.Name, m.Kind);
        CheckSynced();
    }

    private void StartWalk(string name, MapKind kind)
    {
        var walk = new MerkleWalk(name, kind);
        _walks[name] = walk;
        if (kind == MapKind.Lww)
        {
            if (!_core.TryGetLww(name, out var replica)) return;
            Send(new SyncInitMessage(name, replica.LastSyncTimestamp));
        }
        else
        {
            if (!_core.TryGetOr(name, out var replica)) return;
            var buckets = replica.GetBuckets("").Select(b => new KeyValuePair<string, uint>(b.Key.ToString(), b.Value)).ToArray();
            Send(new OrMapSyncInitMessage(name, replica.RootHash, new WireMap<uint>(buckets), replica.LastSyncTimestamp));
        }
    }

    private bool DispatchSync(Message message)
    {
        switch (message)
        {
            case SyncRespRootMessage root:
                OnRoot(root.MapName, MapKind.Lww, root.RootHash, root.Timestamp);
                return true;
            case SyncRespBucketsMessage buckets:
                OnBuckets(buckets.MapName, MapKind.Lww, buckets.Path, buckets.Buckets);
                return true;
            case SyncRespLeafMessage leaf:
                OnLwwLeaf(leaf);
                return true;
            case SyncResetRequiredMessage reset:
                OnResetRequired(reset.MapName);
                return true;
            case OrMapSyncRespRootMessage root:
                OnRoot(root.MapName, MapKind.Or, root.RootHash, root.Timestamp);
                return true;
            case OrMapSyncRespBucketsMessage buckets:
                OnBuckets(buckets.MapName, MapKind.Or, buckets.Path, buckets.Buckets);
                return true;
            case OrMapSyncRespLeafMessage leaf:
                OnOrLeaf(leaf);
                return true;
            case OrMapDiffResponseMessage diff:
                if (_core.TryGetOr(diff.MapName, out var orReplica))
                    foreach (var entry in diff.Entries) orReplica.MergeRemote(entry);
                return true;
            case ServerEventMessage ev:
                _core.Clock.Update(ev.Timestamp);
                ApplyServerEvent(ev.Payload);
                return true;
            case ServerBatchEventMessage batch:
                _core.Clock.Update(batch.Timestamp);
                foreach (var ev in batch.Events) ApplyServerEvent(ev);
                return true;
            case GcPruneMessage prune:
                foreach (var replica in _core.LwwReplicas) replica.Prune(prune.OlderThan);
                foreach (var replica in _core.OrReplicas) replica.Prune(prune.OlderThan);
                return true;
            default:
                return false;
        }
    }

    private void OnRoot(string mapName, MapKind kind, uint rootHash, Core.Clock.Timestamp serverTime)
    {
        if (!_walks.TryGetValue(mapName, out var walk) || walk.Kind != kind || walk.RootReceived) return;
        _core.Clock.Update(serverTime);
        walk.RootReceived = true;
        walk.ServerMillis = serverTime.Millis;
        var localRoot = kind == MapKind.Lww
            ? (_core.TryGetLww(mapName, out var lww) ? lww.RootHash : 0)
            : (_core.TryGetOr(mapName, out var or) ? or.RootHash : 0);
        if (localRoot == rootHash)
        {
            FinishWalk(walk);
            return;
        }
        RequestBucket(walk, "");
    }

    private void RequestBucket(MerkleWalk walk, string path)
    {
        walk.Outstanding++;
        Send(walk.Kind == MapKind.Lww ? new MerkleReqBucketMessage(walk.MapName, path) : new OrMapMerkleReqBucketMessage(walk.MapName, path));
    }

    private void OnBuckets(string mapName, MapKind kind, string path, WireMap<uint> remote)
    {
        if (!_walks.TryGetValue(mapName, out var walk) || walk.Kind != kind || walk.Done) return;
        walk.Outstanding--;
        var local = kind == MapKind.Lww
            ? (_core.TryGetLww(mapName, out var lww) ? lww.GetBuckets(path) : [])
            : (_core.TryGetOr(mapName, out var or) ? or.GetBuckets(path) : []);
        if (path.Length < MerkleTree.Depth)
        {
            foreach (var (child, hash) in remote.Entries)
            {
                if (child.Length != 1) continue;
                if (!local.TryGetValue(child[0], out var mine) || mine != hash) RequestBucket(walk, path + child);
            }
            // An OR leaf exchange also pushes the client's side, so buckets only the client holds are visited too.
            if (kind == MapKind.Or)
                foreach (var (child, _) in local)
                    if (!remote.TryGetValue(child.ToString(), out _)) RequestBucket(walk, path + child);
        }
        if (walk.Outstanding == 0) FinishWalk(walk);
    }

    private void OnLwwLeaf(SyncRespLeafMessage leaf)
    {
        if (_core.TryGetLww(leaf.MapName, out var replica))
            foreach (var item in leaf.Records) replica.MergeRemote(item.Key, item.Record);
        if (!_walks.TryGetValue(leaf.MapName, out var walk) || walk.Kind != MapKind.Lww || walk.Done) return;
        walk.Outstanding--;
        if (walk.Outstanding == 0) FinishWalk(walk);
    }

    private void OnOrLeaf(OrMapSyncRespLeafMessage leaf)
    {
        if (_core.TryGetOr(leaf.MapName, out var replica))
        {
            var keys = new List<string>();
            foreach (var entry in leaf.Entries)
            {
                replica.MergeRemote(entry);
                keys.Add(entry.Key);
            }
            keys.AddRange(replica.GetKeysInBucket(leaf.Path));
            var push = replica.EntriesFor(keys);
            if (push.Count > 0) Send(new OrMapPushDiffMessage(leaf.MapName, push.ToArray()));
        }
        if (!_walks.TryGetValue(leaf.MapName, out var walk) || walk.Kind != MapKind.Or || walk.Done) return;
        walk.Outstanding--;
        if (walk.Outstanding == 0) FinishWalk(walk);
    }

    private void FinishWalk(MerkleWalk walk)
    {
        walk.Done = true;
        if (walk.Kind == MapKind.Lww && _core.TryGetLww(walk.MapName, out var lww)) lww.LastSyncTimestamp = walk.ServerMillis;
        if (walk.Kind == MapKind.Or && _core.TryGetOr(walk.MapName, out var or)) or.LastSyncTimestamp = walk.ServerMillis;
        CheckSynced();
    }

    /// <summary>The server forgot tombstones we may still need: start the map over, keeping the writes it has not acknowledged.</summary>
    private void OnResetRequired(string mapName)
    {
        if (_core.TryGetLww(mapName, out var lww))
        {
            lww.Clear();
            foreach (var op in _ops.Ops)
                if (op.Op.MapName == mapName && op.Op.Record is { } record) lww.MergeRemote(op.Op.Key, record, ChangeOrigin.Local);
            StartWalk(mapName, MapKind.Lww);
        }
        else if (_core.TryGetOr(mapName, out var or))
        {
            or.Clear();
            foreach (var op in _ops.Ops.Where(o => o.Op.MapName == mapName))
            {
                if (op.Op.OrRecord is { } record) or.ApplyRemote(op.Op.Key, record);
                else if (op.Op.OrTag is { } tag) or.ApplyRemoteTombstone(op.Op.Key, tag);
            }
            StartWalk(mapName, MapKind.Or);
        }
        CheckSynced();
    }

    private void ApplyServerEvent(ServerEventPayload ev)
    {
        switch (ev.EventType)
        {
            case "OR_ADD" when ev.OrRecord is { } orRecord:
                if (_core.TryGetOr(ev.MapName, out var addTo)) addTo.ApplyRemote(ev.Key, orRecord);
                break;
            case "OR_REMOVE" when ev.OrTag is { } tag:
                if (_core.TryGetOr(ev.MapName, out var removeFrom)) removeFrom.ApplyRemoteTombstone(ev.Key, tag);
                break;
            default:
                if (ev.Record is { } record && _core.TryGetLww(ev.MapName, out var lww)) lww.MergeRemote(ev.Key, record);
                break;
        }
    }
}
