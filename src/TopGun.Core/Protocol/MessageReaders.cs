using System.Text;
using MessagePack;

namespace TopGun.Core.Protocol;

internal delegate Message MessageReadFn(ref WireReader reader);

/// <summary>The decoder for each envelope type, looked up from the frame's UTF-8 type string without allocating.</summary>
internal static class MessageReaders
{
    private static readonly Dictionary<string, MessageReadFn> Readers = new(StringComparer.Ordinal)
    {
        [MessageTypes.AuthRequired] = AuthRequiredMessage.Read,
        [MessageTypes.Auth] = AuthMessage.Read,
        [MessageTypes.AuthAck] = AuthAckMessage.Read,
        [MessageTypes.AuthFail] = AuthFailMessage.Read,
        [MessageTypes.Ping] = PingMessage.Read,
        [MessageTypes.Pong] = PongMessage.Read,
        [MessageTypes.Error] = ErrorMessage.Read,
        [MessageTypes.ShutdownPending] = ShutdownPendingMessage.Read,
        [MessageTypes.GcPrune] = GcPruneMessage.Read,
        [MessageTypes.ClientOp] = ClientOpMessage.Read,
        [MessageTypes.OpBatch] = OpBatchMessage.Read,
        [MessageTypes.OpAck] = OpAckMessage.Read,
        [MessageTypes.OpRejected] = OpRejectedMessage.Read,
        [MessageTypes.ServerEvent] = ServerEventMessage.Read,
        [MessageTypes.ServerBatchEvent] = ServerBatchEventMessage.Read,
        [MessageTypes.MergeRejected] = MergeRejectedMessage.Read,
        [MessageTypes.SyncInit] = SyncInitMessage.Read,
        [MessageTypes.SyncRespRoot] = SyncRespRootMessage.Read,
        [MessageTypes.MerkleReqBucket] = MerkleReqBucketMessage.Read,
        [MessageTypes.SyncRespBuckets] = SyncRespBucketsMessage.Read,
        [MessageTypes.SyncRespLeaf] = SyncRespLeafMessage.Read,
        [MessageTypes.SyncResetRequired] = SyncResetRequiredMessage.Read,
        [MessageTypes.OrMapSyncInit] = OrMapSyncInitMessage.Read,
        [MessageTypes.OrMapSyncRespRoot] = OrMapSyncRespRootMessage.Read,
        [MessageTypes.OrMapMerkleReqBucket] = OrMapMerkleReqBucketMessage.Read,
        [MessageTypes.OrMapSyncRespBuckets] = OrMapSyncRespBucketsMessage.Read,
        [MessageTypes.OrMapSyncRespLeaf] = OrMapSyncRespLeafMessage.Read,
        [MessageTypes.OrMapDiffRequest] = OrMapDiffRequestMessage.Read,
        [MessageTypes.OrMapDiffResponse] = OrMapDiffResponseMessage.Read,
        [MessageTypes.OrMapPushDiff] = OrMapPushDiffMessage.Read,
        [MessageTypes.QuerySub] = QuerySubMessage.Read,
        [MessageTypes.QueryUnsub] = QueryUnsubMessage.Read,
        [MessageTypes.QueryResp] = QueryRespMessage.Read,
        [MessageTypes.QueryUpdate] = QueryUpdateMessage.Read,
        [MessageTypes.TopicSub] = TopicSubMessage.Read,
        [MessageTypes.TopicUnsub] = TopicUnsubMessage.Read,
        [MessageTypes.TopicPub] = TopicPubMessage.Read,
        [MessageTypes.TopicMessage] = TopicMessageMessage.Read,
        [MessageTypes.LockRequest] = LockRequestMessage.Read,
        [MessageTypes.LockGranted] = LockGrantedMessage.Read,
        [MessageTypes.LockRelease] = LockReleaseMessage.Read,
        [MessageTypes.LockReleased] = LockReleasedMessage.Read,
        [MessageTypes.CounterRequest] = CounterRequestMessage.Read,
        [MessageTypes.CounterResponse] = CounterResponseMessage.Read,
        [MessageTypes.CounterUpdate] = CounterUpdateMessage.Read,
        [MessageTypes.CounterSync] = CounterSyncMessage.Read,
        [MessageTypes.EntryProcess] = EntryProcessMessage.Read,
        [MessageTypes.EntryProcessBatch] = EntryProcessBatchMessage.Read,
        [MessageTypes.EntryProcessResponse] = EntryProcessResponseMessage.Read,
        [MessageTypes.EntryProcessBatchResponse] = EntryProcessBatchResponseMessage.Read,
        [MessageTypes.JournalSubscribe] = JournalSubscribeMessage.Read,
        [MessageTypes.JournalUnsubscribe] = JournalUnsubscribeMessage.Read,
        [MessageTypes.JournalEvent] = JournalEventMessage.Read,
        [MessageTypes.JournalRead] = JournalReadMessage.Read,
        [MessageTypes.JournalReadResponse] = JournalReadResponseMessage.Read,
        [MessageTypes.RegisterResolver] = RegisterResolverMessage.Read,
        [MessageTypes.UnregisterResolver] = UnregisterResolverMessage.Read,
        [MessageTypes.RegisterResolverResponse] = RegisterResolverResponseMessage.Read,
        [MessageTypes.UnregisterResolverResponse] = UnregisterResolverResponseMessage.Read,
        [MessageTypes.ListResolvers] = ListResolversMessage.Read,
        [MessageTypes.ListResolversResponse] = ListResolversResponseMessage.Read,
        [MessageTypes.Search] = SearchMessage.Read,
        [MessageTypes.SearchResp] = SearchRespMessage.Read,
        [MessageTypes.SearchSub] = SearchSubMessage.Read,
        [MessageTypes.SearchUpdate] = SearchUpdateMessage.Read,
        [MessageTypes.SearchUnsub] = SearchUnsubMessage.Read,
        [MessageTypes.PartitionMapRequest] = PartitionMapRequestMessage.Read,
        [MessageTypes.PartitionMap] = PartitionMapMessage.Read,
    };

    private static readonly Dictionary<string, MessageReadFn>.AlternateLookup<ReadOnlySpan<char>> ByChars =
        Readers.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>All envelope types the codec decodes (BATCH included).</summary>
    public static IReadOnlyCollection<string> KnownTypes { get; } = [.. Readers.Keys, MessageTypes.Batch];

    /// <summary>
    /// Finds the envelope's <c>type</c> (wherever it sits in the map) without consuming the reader.
    /// Returns the interned type string; unknown types come back through <paramref name="unknown"/>.
    /// </summary>
    public static string? PeekType(ref WireReader r, out MessageReadFn? read, out string? unknown)
    {
        read = null;
        unknown = null;
        var peek = new WireReader(r.Reader.CreatePeekReader(), r.Context);
        var n = peek.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = peek.Key();
            if (!k.SequenceEqual("type"u8))
            {
                peek.Skip();
                continue;
            }
            if (peek.SkipUndefined()) break;
            if (peek.Reader.NextMessagePackType != MessagePackType.String) throw peek.Fail("type", "expected string");
            var span = peek.Key();
            if (span.Length <= 64)
            {
                Span<char> chars = stackalloc char[64];
                var count = Encoding.UTF8.GetChars(span, chars);
                if (ByChars.TryGetValue(chars[..count], out var actualKey, out var fn))
                {
                    read = fn;
                    return actualKey;
                }
                if (chars[..count].SequenceEqual(MessageTypes.Batch)) return MessageTypes.Batch;
                unknown = new string(chars[..count]);
            }
            else
            {
                unknown = Encoding.UTF8.GetString(span[..64]) + "…";
            }
            return null;
        }
        throw peek.Fail("type", "required");
    }
}
