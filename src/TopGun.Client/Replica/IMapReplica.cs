using TopGun.Core.Crdt;
using TopGun.Client.Storage;
using TopGun.Core.Clock;
using TopGun.Core.Protocol;

namespace TopGun.Client.Replica;

/// <summary>
/// One map of the local replica as the sync engine sees it, whatever CRDT it holds: its Merkle tree,
/// the frames that open and walk its pull, what a server event or a sync reset does to it. The engine
/// calls these and never asks which kind it holds; the kind-specific frames are built here because
/// LWW and OR maps speak different halves of the sync protocol.
/// </summary>
internal interface IMapReplica
{
    string Name { get; }

    MapKind Kind { get; }

    /// <summary>Server HLC millis of the last finished pull; sent back in the next sync init.</summary>
    long LastSyncTimestamp { get; set; }

    uint RootHash { get; }

    Dictionary<char, uint> GetBuckets(string path);

    /// <summary>
    /// Whether a Merkle walk also descends into buckets only this replica holds: an OR leaf exchange
    /// pushes the client's side, so such buckets must be visited; an LWW leaf only pulls.
    /// </summary>
    bool WalksLocalOnlyBuckets { get; }

    /// <summary>The frame that opens this map's pull on a fresh connection.</summary>
    Message SyncInit();

    /// <summary>The frame that asks the server for the buckets (or the leaf) under <paramref name="path"/>.</summary>
    Message BucketRequest(string path);

    /// <summary>Applies one change the server pushed (SERVER_EVENT / SERVER_BATCH_EVENT); events of the other kind are ignored.</summary>
    void ApplyServerEvent(ServerEventPayload ev);

    /// <summary>
    /// SYNC_RESET_REQUIRED: forgets every record, then re-applies the writes the server has not
    /// acknowledged yet (<paramref name="pendingOps"/> holds this map's ops only).
    /// </summary>
    void ResetKeeping(IEnumerable<ClientOp> pendingOps);

    void Prune(Timestamp olderThan);
}
