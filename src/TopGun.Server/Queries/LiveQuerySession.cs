using Akka.Actor;
using Akka.Event;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Queries;
using TopGun.Core.Values;
using TopGun.Server.Clients;
using TopGun.Server.Maps;
using TopGun.Server.Security;
using PubSub = Akka.Cluster.Tools.PublishSubscribe;

namespace TopGun.Server.Queries;

/// <summary>
/// The live queries of one client connection, a child of its <c>ConnectionActor</c> (whose <see cref="LiveQueryRoute"/> validates,
/// authorizes and parses QUERY_SUB first). It listens to a map's change feed only while it has a query on
/// it; the snapshot is scattered to every partition after the subscription is confirmed (so no change falls
/// between snapshot and feed), and changes that arrive before the snapshot is out are replayed after it.
/// Matching happens here, per connection, never in the partition, so a client's queries cost its own
/// session and never the writers. Each query's membership rules are its <see cref="QueryWindow"/>.
/// The feed subscription names the connection, which hands every <see cref="MapChanged"/> on to this
/// session: a partition replies to a write before it publishes the change, so through the connection's
/// mailbox the writer's OP_ACK always goes out before the QUERY_UPDATE of its own change.
/// A partition answers a page from memory, which may already hold writes still in flight to the journal, while a
/// change is published once durable: a change can reach the session after a page that already holds it. LWW records
/// tell that by their timestamp (<see cref="QueryWindow.Offer"/>); for an OR key the page's journal sequence number
/// per partition tells it, and an OR change at or below it is not offered to the window.
/// </summary>
internal sealed class LiveQuerySession : UntypedActor, IWithTimers
{
    private readonly string _clientId;
    private readonly IClientChannel _channel;
    private readonly LiveQueryDependencies _deps;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly string[] _partitions;
    private readonly Dictionary<string, LiveQuery> _queries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<LiveQuery>> _queriesByMap = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MapSubscription> _subscriptions = new(StringComparer.Ordinal);
    private PartitionGathers _gathers = null!;
    private IActorRef _subscriber = ActorRefs.Nobody;

    public LiveQuerySession(string clientId, IClientChannel channel, LiveQueryDependencies deps)
    {
        _clientId = clientId;
        _channel = channel;
        _deps = deps;
        _partitions = PartitionKey.All(deps.PartitionCount).ToArray();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string clientId, IClientChannel channel, LiveQueryDependencies deps) =>
        Akka.Actor.Props.Create(() => new LiveQuerySession(clientId, channel, deps));

    /// <summary>QUERY_SUB, already validated, authorized for READ and parsed; <paramref name="Fields"/> is what the client may read of the map.</summary>
    public sealed record Subscribe(string QueryId, string MapName, QuerySpec Spec, FieldFilter Fields);

    /// <summary>QUERY_UNSUB.</summary>
    public sealed record Unsubscribe(string QueryId);

    protected override void PreStart()
    {
        _gathers = new PartitionGathers(_deps.Partitions, Timers, Self);
        _subscriber = Context.Parent;
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Subscribe subscribe:
                OnSubscribe(subscribe);
                break;
            case Unsubscribe unsubscribe:
                OnUnsubscribe(unsubscribe.QueryId);
                break;
            case MapChanged changed:
                OnMapChanged(changed);
                break;
            case PubSub.SubscribeAck ack:
                OnSubscribeAck(ack);
                break;
            case PubSub.UnsubscribeAck:
                break;
            default:
                if (!_gathers.Handle(message)) Unhandled(message);
                break;
        }
    }

    private void OnSubscribe(Subscribe sub)
    {
        if (!_queries.ContainsKey(sub.QueryId) && _queries.Count >= _deps.MaxQueriesPerClient)
        {
            _channel.Send(ServerErrors.TooManyQueries(_deps.MaxQueriesPerClient, sub.QueryId));
            return;
        }

        OnUnsubscribe(sub.QueryId);
        QueryCursor.TryDecode(sub.Spec.Cursor, sub.Spec, _deps.Clock.WallMillis(), out var after);
        var query = new LiveQuery(sub.MapName, new QueryWindow(sub.QueryId, sub.Spec, sub.Fields, after));
        _queries[query.Id] = query;
        if (!_queriesByMap.TryGetValue(query.MapName, out var onMap)) _queriesByMap[query.MapName] = onMap = [];
        onMap.Add(query);
        SubscribeTo(query.MapName, sub.Fields, () =>
        {
            if (IsLive(query)) RunSnapshot(query);
        });
    }

    private void OnUnsubscribe(string queryId)
    {
        if (!_queries.Remove(queryId, out var query)) return;
        if (_queriesByMap.TryGetValue(query.MapName, out var onMap))
        {
            onMap.Remove(query);
            if (onMap.Count == 0) _queriesByMap.Remove(query.MapName);
        }
        if (!_subscriptions.TryGetValue(query.MapName, out var subscription)) return;
        if (--subscription.Queries > 0) return;
        _subscriptions.Remove(query.MapName);
        _deps.ChangeFeed.Tell(new PubSub.Unsubscribe(MapChanged.Topic(query.MapName), _subscriber), Self);
    }

    private bool IsLive(LiveQuery query) => _queries.GetValueOrDefault(query.Id) == query;

    private void SubscribeTo(string mapName, FieldFilter fields, Action onSubscribed)
    {
        if (!_subscriptions.TryGetValue(mapName, out var subscription))
        {
            // Grants are fixed for a connection's life, so every query on a map carries the same fields.
            subscription = new MapSubscription(fields);
            _subscriptions[mapName] = subscription;
            _deps.ChangeFeed.Tell(new PubSub.Subscribe(MapChanged.Topic(mapName), _subscriber), Self);
        }
        subscription.Queries++;
        if (subscription.Acknowledged) onSubscribed();
        else subscription.Waiting.Add(onSubscribed);
    }

    private void OnSubscribeAck(PubSub.SubscribeAck ack)
    {
        var mapName = ack.Subscribe.Topic["map:".Length..];
        if (!_subscriptions.TryGetValue(mapName, out var subscription) || subscription.Acknowledged) return;
        subscription.Acknowledged = true;
        foreach (var waiting in subscription.Waiting) waiting();
        subscription.Waiting.Clear();
    }

    private void RunSnapshot(LiveQuery query) => GatherPage(query, page => _channel.Send(query.Window.Open(page)));

    /// <summary>
    /// A member left a window that has records outside it: the page is asked of the partitions again and
    /// the window reconciled with it, so the next record enters (and anything the feed missed is fixed).
    /// </summary>
    private void Refill(LiveQuery query)
    {
        if (!query.Ready)
        {
            query.RefillPending = true;
            return;
        }
        query.Ready = false;
        GatherPage(query, page =>
        {
            foreach (var update in query.Window.Reconcile(page)) _channel.Send(update);
        });
    }

    /// <summary>Scatter-gathers the query's page; while it is out, feed changes are buffered and replayed afterwards.</summary>
    private void GatherPage(LiveQuery query, Action<QueryPage> onPage)
    {
        query.Ready = false;
        var now = _deps.Clock.WallMillis();
        var spec = query.Window.Spec;
        var partitionOf = new Dictionary<long, string>(_partitions.Length);
        var gather = _gathers.Start(
            _deps.PageTimeout,
            g =>
            {
                if (!IsLive(query)) return;
                var results = g.Replies.OfType<PartitionQueryResult>().ToArray();
                query.PageSequenceNrs.Clear();
                foreach (var result in results)
                {
                    if (result.SequenceNr is { } sequenceNr && partitionOf.TryGetValue(result.CorrelationId, out var partition))
                        query.PageSequenceNrs[partition] = sequenceNr;
                }
                onPage(QueryExecutor.Merge(results.Select(r => r.Candidates), spec, now));
                QueryReady(query);
            },
            (_, failure) =>
            {
                if (!IsLive(query)) return;
                if (query.Answered)
                {
                    _log.Warning("Client {0}: could not refill live query {1} on map {2}: {3}", _clientId, query.Id, query.MapName, failure.Reason);
                    QueryReady(query);
                    return;
                }
                OnUnsubscribe(query.Id);
                _channel.Send(ServerErrors.QueryFailed(query.Id, query.MapName, failure));
            });
        foreach (var partition in _partitions)
            partitionOf[_gathers.Call(gather, query.MapName, partition, c => new QueryPartition(c, spec, now))] = partition;
    }

    private void QueryReady(LiveQuery query)
    {
        query.Answered = true;
        query.Ready = true;
        var unread = new HashSet<string>(StringComparer.Ordinal);
        var offered = new HashSet<string>(StringComparer.Ordinal);
        var buffered = query.Buffered.ToArray();
        query.ClearBuffer();
        foreach (var changed in buffered) OfferChanges(query, changed, PartitionOf(changed), OrRecordsByKey(changed.Changes), buffered: true, offered, unread);
        // One read per page for the buffered OR changes whose order against the page cannot be told.
        RefreshOrKeys(query.MapName, unread);
        if (query.RefillPending && query.Ready)
        {
            query.RefillPending = false;
            Refill(query);
        }
    }

    private void OnMapChanged(MapChanged changed)
    {
        if (!_subscriptions.TryGetValue(changed.MapName, out var subscription) || changed.Changes.Count == 0) return;

        // The writer's own change is already in its replica; only its queries hear of it.
        if (changed.OriginId != _clientId)
        {
            var events = changed.Changes.Select(c => ToEvent(changed.MapName, c, subscription.Fields)).ToArray();
            var timestamp = _deps.Clock.Now();
            _channel.Send(events.Length == 1
                ? new ServerEventMessage(events[0], timestamp)
                : new ServerBatchEventMessage(events, timestamp));
        }

        if (!_queriesByMap.TryGetValue(changed.MapName, out var queries)) return;
        var partition = PartitionOf(changed);
        var orRecords = OrRecordsByKey(changed.Changes);
        var unread = new HashSet<string>(StringComparer.Ordinal);
        var offered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var query in queries)
        {
            if (!query.Ready) query.Buffer(changed);
            else OfferChanges(query, changed, partition, orRecords, buffered: false, offered, unread);
        }
        // Only changes from a node of an older build come without the key's records.
        RefreshOrKeys(changed.MapName, unread);
    }

    /// <summary>
    /// Offers one feed change to a ready query. An OR change its page already holds (by the partition's sequence
    /// numbers) is left out; one held while the page was out whose order against the page cannot be told (a node
    /// of an older build) is read back into <paramref name="unread"/>, since its records may be older than the page.
    /// </summary>
    private void OfferChanges(LiveQuery query, MapChanged changed, string partition, Dictionary<string, IReadOnlyList<OrMapRecord>>? orRecords,
        bool buffered, HashSet<string> offered, HashSet<string> unread)
    {
        offered.Clear();
        var held = query.PageHolds(partition, changed);
        var readBack = buffered && !query.CanCompare(partition, changed);
        foreach (var change in changed.Changes)
        {
            if (change.Record is { } record) Offer(query, change.Key, LiveValue(record), record.Timestamp);
            else if (held || !offered.Add(change.Key)) continue;
            else if (readBack) unread.Add(change.Key);
            else if (orRecords?.GetValueOrDefault(change.Key) is { } records) Offer(query, change.Key, OrValue(records), null);
            else unread.Add(change.Key);
        }
    }

    /// <summary>The partition a change comes from: one command of one partition, so any of its keys names it.</summary>
    private string PartitionOf(MapChanged changed) => PartitionKey.Of(changed.Changes[0].Key, _deps.PartitionCount);

    /// <summary>The records each OR key holds after the change, from the change of the key that carries them; null for an LWW change.</summary>
    private static Dictionary<string, IReadOnlyList<OrMapRecord>>? OrRecordsByKey(IReadOnlyList<MapChange> changes)
    {
        Dictionary<string, IReadOnlyList<OrMapRecord>>? byKey = null;
        foreach (var change in changes)
        {
            if (change.OrRecords is not { } records) continue;
            byKey ??= new Dictionary<string, IReadOnlyList<OrMapRecord>>(StringComparer.Ordinal);
            byKey[change.Key] = records;
        }
        return byKey;
    }

    /// <summary>An OR key as a snapshot offers it: the array of its unexpired values in record order, or null when none is left.</summary>
    private Value? OrValue(IEnumerable<OrMapRecord> records)
    {
        var now = _deps.Clock.WallMillis();
        var live = records.Where(r => !r.IsExpired(now)).OrderBy(r => r.Timestamp).ToArray();
        return live.Length == 0 ? null : Value.Array(live.Select(r => r.Value).ToArray());
    }

    private void Offer(LiveQuery query, string key, Value? value, Core.Clock.Timestamp? timestamp)
    {
        var change = query.Window.Offer(key, value, timestamp);
        foreach (var update in change.Updates) _channel.Send(update);
        if (change.NeedsRefill) Refill(query);
    }

    private Value? LiveValue(LwwRecord record) =>
        record.IsTombstone || record.IsExpired(_deps.Clock.WallMillis()) ? null : record.Value;

    /// <summary>
    /// Reads OR keys back from their partitions and offers them to the ready queries, for changes from a node of
    /// an older build: they carry one tag and not the key's records, and no sequence number to tell a change held
    /// while a page was out from one the page already holds.
    /// </summary>
    private void RefreshOrKeys(string mapName, IReadOnlyCollection<string> keys)
    {
        if (keys.Count == 0) return;
        var gather = _gathers.Start(
            _deps.PageTimeout,
            g =>
            {
                if (!_queriesByMap.TryGetValue(mapName, out var queries)) return;
                foreach (var entry in g.Replies.OfType<OrEntriesResult>().SelectMany(r => r.Entries))
                {
                    var value = OrValue(entry.Records);
                    foreach (var query in queries)
                    {
                        if (query.Ready) Offer(query, entry.Key, value, null);
                    }
                }
            },
            (_, failure) => _log.Warning("Client {0}: could not refresh OR keys of map {1} for live queries: {2}", _clientId, mapName, failure.Reason));
        foreach (var group in keys.GroupBy(k => PartitionKey.Of(k, _deps.PartitionCount)))
        {
            var partitionKeys = group.ToArray();
            _gathers.Call(gather, mapName, group.Key, c => new GetOrEntries(c, partitionKeys));
        }
    }

    private static ServerEventPayload ToEvent(string mapName, MapChange change, FieldFilter fields) => change switch
    {
        { OrAdded: { } added } => new ServerEventPayload(mapName, change.Key, "OR_ADD", OrRecord: fields.Apply(added)),
        { OrRemovedTag: { } tag } => new ServerEventPayload(mapName, change.Key, "OR_REMOVE", OrTag: tag),
        _ => new ServerEventPayload(mapName, change.Key, "UPDATED", Record: change.Record is { } r ? fields.Apply(r) : null),
    };

    private sealed class MapSubscription(FieldFilter fields)
    {
        public FieldFilter Fields { get; } = fields;
        public int Queries { get; set; }
        public bool Acknowledged { get; set; }
        public List<Action> Waiting { get; } = [];
    }
}
