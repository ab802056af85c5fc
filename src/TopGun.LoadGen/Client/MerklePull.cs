using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Merkle;
using TopGun.Core.Protocol;

namespace TopGun.LoadGen.Client;

/// <summary>The outcome of pulling a whole LWW map: the records, and the root hash the server announced.</summary>
public sealed record PulledMap(LwwMap Map, uint ServerRootHash);

/// <summary>
/// Reads a whole LWW map from a server the way a fresh client does (protocol.md §5): SYNC_INIT, then
/// MERKLE_REQ_BUCKET down every non-empty bucket to the leaves, merging leaf records into an empty
/// Core <see cref="LwwMap"/>. All requests of one tree level are sent before their answers are read.
/// </summary>
public static class MerklePull
{
    public static async Task<PulledMap> PullAsync(TopGunConnection connection, string mapName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var map = new LwwMap(new Hlc("merkle-pull"));
        await connection.SendAsync(new SyncInitMessage(mapName, 0), cancellationToken).ConfigureAwait(false);
        var root = await connection.ExpectAsync<SyncRespRootMessage>(m => m.MapName == mapName, cancellationToken).ConfigureAwait(false);
        if (root.RootHash == 0) return new PulledMap(map, 0);

        var level = new List<string> { "" };
        while (level.Count > 0)
        {
            foreach (var path in level)
                await connection.SendAsync(new MerkleReqBucketMessage(mapName, path), cancellationToken).ConfigureAwait(false);

            var waiting = new HashSet<string>(level, StringComparer.Ordinal);
            var next = new List<string>();
            while (waiting.Count > 0)
            {
                var reply = await connection.ExpectAsync<Message>(m => IsAnswer(m, mapName), cancellationToken).ConfigureAwait(false);
                switch (reply)
                {
                    case SyncRespBucketsMessage buckets when waiting.Remove(buckets.Path):
                        foreach (var (child, hash) in buckets.Buckets)
                        {
                            if (hash != 0) next.Add(buckets.Path + child);
                        }
                        break;
                    case SyncRespLeafMessage leaf when waiting.Remove(leaf.Path):
                        foreach (var record in leaf.Records) map.Merge(record.Key, record.Record);
                        break;
                    case ErrorMessage error:
                        throw new InvalidOperationException($"Merkle pull of '{mapName}' failed: ERROR {error.Code} {error.Message}");
                }
            }
            if (next.Any(p => p.Length > MerkleTree.Depth))
                throw new InvalidOperationException($"Merkle pull of '{mapName}': the server answered a leaf path with buckets.");
            level = next;
        }
        return new PulledMap(map, root.RootHash);
    }

    private static bool IsAnswer(Message message, string mapName) => message switch
    {
        SyncRespBucketsMessage b => b.MapName == mapName,
        SyncRespLeafMessage l => l.MapName == mapName,
        ErrorMessage => true,
        _ => false,
    };
}
