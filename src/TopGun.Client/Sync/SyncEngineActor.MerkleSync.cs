using TopGun.Core.Crdt;
using TopGun.Client.Replica;
using TopGun.Client.Storage;
using TopGun.Core.Clock;
using TopGun.Core.Protocol;

namespace TopGun.Client.Sync;

/// <summary>Map pulls (one <see cref="MerkleWalk"/> per map) and server-pushed map changes.</summary>
internal sealed partial class SyncEngineActor
{
    private readonly Dictionary<string, IMapReplica> _maps = new(StringComparer.Ordinal);
    /// <summary>Each map's pull on the current connection, with the replica it walks.</summary>
    private readonly Dictionary<string, (MerkleWalk Walk, IMapReplica Replica)> _walks = new(StringComparer.Ordinal);

    private void OnMapAdded(EngineMessages.MapAdded m)
    {
        if (!_maps.TryAdd(m.Replica.Name, m.Replica)) return;
        if (!IsOnline) return;
        StartWalk(m.Replica);
        CheckSynced();
    }

    private void StartWalk(IMapReplica replica)
    {
        _walks[replica.Name] = (MerkleWalk.Start(replica.Name, replica.Kind, replica.WalksLocalOnlyBuckets), replica);
        Send(replica.SyncInit());
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
                if (_core.TryGetLww(leaf.MapName, out var lww)) lww.MergeLeaf(leaf);
                OnLeaf(leaf.MapName, MapKind.Lww);
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
                if (_core.TryGetOr(leaf.MapName, out var or) && or.MergeLeaf(leaf) is { } push) Send(push);
                OnLeaf(leaf.MapName, MapKind.Or);
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
                foreach (var replica in _core.Replicas) replica.Prune(prune.OlderThan);
                return true;
            default:
                return false;
        }
    }

    private void OnRoot(string mapName, MapKind kind, uint rootHash, Timestamp serverTime)
    {
        if (!_walks.TryGetValue(mapName, out var active)) return;
        var step = active.Walk.OnRoot(kind, active.Replica.RootHash, rootHash, serverTime.Millis);
        if (!step.Accepted) return;
        _core.Clock.Update(serverTime);
        Advance(step, active.Replica);
    }

    private void OnBuckets(string mapName, MapKind kind, string path, WireMap<uint> remote)
    {
        if (!_walks.TryGetValue(mapName, out var active)) return;
        Advance(active.Walk.OnBuckets(kind, path, active.Replica.GetBuckets(path), remote), active.Replica);
    }

    private void OnLeaf(string mapName, MapKind kind)
    {
        if (_walks.TryGetValue(mapName, out var active)) Advance(active.Walk.OnLeaf(kind), active.Replica);
    }

    private void Advance(MerkleWalkStep step, IMapReplica replica)
    {
        if (!step.Accepted) return;
        var walk = step.Walk;
        _walks[walk.MapName] = (walk, replica);
        foreach (var path in step.Requests) Send(replica.BucketRequest(path));
        if (!step.Finished) return;
        replica.LastSyncTimestamp = walk.ServerMillis;
        CheckSynced();
    }

    /// <summary>The server forgot tombstones we may still need: start the map over, keeping the writes it has not acknowledged.</summary>
    private void OnResetRequired(string mapName)
    {
        if (_core.TryGetReplica(mapName, out var replica))
        {
            replica.ResetKeeping(_ops.Ops.Where(o => o.Op.MapName == mapName).Select(o => o.Op));
            StartWalk(replica);
        }
        CheckSynced();
    }

    private void ApplyServerEvent(ServerEventPayload ev)
    {
        if (_core.TryGetReplica(ev.MapName, out var replica)) replica.ApplyServerEvent(ev);
    }
}
