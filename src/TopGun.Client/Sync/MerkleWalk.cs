using TopGun.Core.Crdt;
using TopGun.Client.Storage;
using TopGun.Core.Merkle;
using TopGun.Core.Protocol;

namespace TopGun.Client.Sync;

/// <summary>
/// One map's Merkle pull on the current connection, as a pure value: each answer from the server
/// (root, buckets, leaf) gives the next walk, the bucket paths to request and whether the walk just
/// finished. The engine sends the requests, keeps the next walk, and on finishing records
/// <see cref="ServerMillis"/> as the map's last sync. An answer of the other map kind, a second root,
/// or anything after the walk finished is ignored.
/// </summary>
internal sealed record MerkleWalk
{
    private MerkleWalk(string mapName, MapKind kind, bool walksLocalOnlyBuckets)
    {
        MapName = mapName;
        Kind = kind;
        WalksLocalOnlyBuckets = walksLocalOnlyBuckets;
    }

    public string MapName { get; }
    public MapKind Kind { get; }

    /// <summary>Also descend into buckets only the local tree holds (an OR leaf exchange pushes the client's side).</summary>
    public bool WalksLocalOnlyBuckets { get; }

    /// <summary>Bucket/leaf requests sent and not answered yet.</summary>
    public int Outstanding { get; private init; }
    public bool RootReceived { get; private init; }
    public bool Done { get; private init; }

    /// <summary>Server HLC millis from the root response: the next sync init's lastSyncTimestamp once the walk finished.</summary>
    public long ServerMillis { get; private init; }

    /// <summary>A walk waiting for the server's root (the sync init is sent).</summary>
    public static MerkleWalk Start(string mapName, MapKind kind, bool walksLocalOnlyBuckets) => new(mapName, kind, walksLocalOnlyBuckets);

    public MerkleWalkStep OnRoot(MapKind kind, uint localRoot, uint serverRoot, long serverMillis)
    {
        if (kind != Kind || RootReceived) return Ignored();
        var next = this with { RootReceived = true, ServerMillis = serverMillis };
        if (localRoot == serverRoot) return new(next with { Done = true }, true, [], true);
        return new(next with { Outstanding = next.Outstanding + 1 }, true, [""], false);
    }

    /// <summary>
    /// The server's child hashes under <paramref name="path"/>: request every child whose hash differs
    /// from <paramref name="local"/> (and, for <see cref="WalksLocalOnlyBuckets"/>, every child only
    /// the local tree holds); at <see cref="MerkleTree.Depth"/> the answer is a leaf level and nothing
    /// deeper is requested.
    /// </summary>
    public MerkleWalkStep OnBuckets(MapKind kind, string path, IReadOnlyDictionary<char, uint> local, WireMap<uint> remote)
    {
        if (kind != Kind || Done) return Ignored();
        var requests = new List<string>();
        if (path.Length < MerkleTree.Depth)
        {
            foreach (var (child, hash) in remote.Entries)
            {
                if (child.Length != 1) continue;
                if (!local.TryGetValue(child[0], out var mine) || mine != hash) requests.Add(path + child);
            }
            if (WalksLocalOnlyBuckets)
                foreach (var (child, _) in local)
                    if (!remote.TryGetValue(child.ToString(), out _)) requests.Add(path + child);
        }
        return Answered(this with { Outstanding = Outstanding - 1 + requests.Count }, requests);
    }

    public MerkleWalkStep OnLeaf(MapKind kind)
    {
        if (kind != Kind || Done) return Ignored();
        return Answered(this with { Outstanding = Outstanding - 1 }, []);
    }

    private MerkleWalkStep Ignored() => new(this, false, [], false);

    /// <summary>The walk finishes when nothing is outstanding after the answer and its own requests (which are still sent).</summary>
    private static MerkleWalkStep Answered(MerkleWalk next, IReadOnlyList<string> requests) =>
        next.Outstanding == 0 ? new(next with { Done = true }, true, requests, true) : new(next, true, requests, false);
}

/// <summary>What one server answer does to a <see cref="MerkleWalk"/>.</summary>
/// <param name="Walk">The walk after the answer (unchanged when not accepted).</param>
/// <param name="Accepted">False when the answer was not for this walk (other kind, second root, walk already done).</param>
/// <param name="Requests">Bucket paths to request next, in order.</param>
/// <param name="Finished">The walk finished with this answer.</param>
internal readonly record struct MerkleWalkStep(MerkleWalk Walk, bool Accepted, IReadOnlyList<string> Requests, bool Finished);
