using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Queries;
using TopGun.Core.Values;
using TopGun.Server.Maps;
using TopGun.Server.Security;

namespace TopGun.Server.Gateway;

/// <summary>
/// Live queries and the change feed. A connection listens to a map's topic only while it has a query on
/// it; the snapshot is scattered to every partition after the subscription is confirmed (so no change
/// falls between snapshot and feed), and changes that arrive before the snapshot is out are replayed
/// after it. Matching happens here, in the connection, never in the partition, so a client's queries
/// cost its own connection and never the writers. A limited query keeps its window (<see cref="LiveQuery"/>).
/// </summary>
public sealed partial class ConnectionActor
{
    private const int MaxBufferedChanges = 10_000;

    private readonly Dictionary<string, LiveQuery> _queries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<LiveQuery>> _queriesByMap = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MapSubscription> _subscriptions = new(StringComparer.Ordinal);

    private void OnQuerySub(QuerySubMessage sub)
    {
        if (string.IsNullOrEmpty(sub.QueryId) || sub.QueryId.Length > _deps.Gateway.MaxKeyLength)
        {
            InvalidMessage($"QUERY_SUB payload.queryId: must be 1 to {_deps.Gateway.MaxKeyLength} characters");
            return;
        }
        if (CheckMapName(sub.MapName) is { } mapError)
        {
            InvalidMessage("QUERY_SUB " + mapError);
            return;
        }
        var grant = Grant(sub.MapName);
        if (!grant.Allows(AccessAction.Read))
        {
            Denied(MessageTypes.QuerySub, sub.MapName);
            return;
        }
        if (!QuerySpec.TryParse(sub.Query, out var spec, out var queryError))
        {
            _channel.Send(new ErrorMessage(400, "Invalid query", Value.Of(queryError)));
            return;
        }
        if (HiddenFieldsOf(spec, grant.Fields) is { Count: > 0 } hidden)
        {
            // Filtering or sorting on a hidden field would reveal it one comparison at a time.
            _channel.Send(new ErrorMessage(403, "Access Denied: the query uses fields you may not read", Value.Of(string.Join(", ", hidden))));
            return;
        }
        if (!_queries.ContainsKey(sub.QueryId) && _queries.Count >= _deps.Gateway.MaxQueriesPerClient)
        {
            _channel.Send(new ErrorMessage(429, $"Too many live queries: at most {_deps.Gateway.MaxQueriesPerClient} per client", Value.Of(sub.QueryId)));
            return;
        }

        OnQueryUnsub(sub.QueryId);
        QueryCursor.TryDecode(spec.Cursor, spec, _deps.Clock.WallMillis(), out var after);
        var query = new LiveQuery(sub.QueryId, sub.MapName, spec, grant.Fields, after);
        _queries[query.Id] = query;
        if (!_queriesByMap.TryGetValue(query.MapName, out var onMap)) _queriesByMap[query.MapName] = onMap = [];
        onMap.Add(query);
        Subscribe(query.MapName, () =>
        {
            if (IsLive(query)) RunSnapshot(query);
        });
    }

    private void OnQueryUnsub(string queryId)
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
        _deps.ChangeFeed.Tell(new Unsubscribe(MapChanged.Topic(query.MapName), Self), Self);
    }

    private bool IsLive(LiveQuery query) => !_closing && _queries.GetValueOrDefault(query.Id) == query;

    private void Subscribe(string mapName, Action onSubscribed)
    {
        if (!_subscriptions.TryGetValue(mapName, out var subscription))
        {
            subscription = new MapSubscription();
            _subscriptions[mapName] = subscription;
            _deps.ChangeFeed.Tell(new Subscribe(MapChanged.Topic(mapName), Self), Self);
        }
        subscription.Queries++;
        if (subscription.Acknowledged) onSubscribed();
        else subscription.Waiting.Add(onSubscribed);
    }

    private bool OnPubSubMessage(object message)
    {
        switch (message)
        {
            case SubscribeAck ack:
                var mapName = ack.Subscribe.Topic["map:".Length..];
                if (_subscriptions.TryGetValue(mapName, out var subscription) && !subscription.Acknowledged)
                {
                    subscription.Acknowledged = true;
                    foreach (var waiting in subscription.Waiting) waiting();
                    subscription.Waiting.Clear();
                }
                return true;
            case UnsubscribeAck:
                return true;
            default:
                return false;
        }
    }

    private void RunSnapshot(LiveQuery query) => GatherPage(query, page =>
    {
        _channel.Send(new QueryRespMessage(
            query.Id,
            page.Results.Select(c => new QueryResultItem(c.Key, query.Fields.Apply(c.Value), c.Timestamp)).ToArray(),
            page.NextCursor,
            page.HasMore,
            page.CursorStatus.ToWireName()));
        foreach (var row in page.Results) query.Add(row.Key, row.Value, row.Timestamp);
        query.Complete = !page.HasMore;
    });

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
            if (query.After is not null && page.CursorStatus != CursorStatus.Valid)
            {
                // The client's cursor has expired: its page can no longer be asked for, so the window only shrinks.
                query.Complete = true;
                return;
            }
            var fresh = page.Results.ToDictionary(r => r.Key, StringComparer.Ordinal);
            foreach (var member in query.Members.Values.ToArray())
            {
                if (fresh.ContainsKey(member.Key)) continue;
                query.Remove(member.Key);
                _channel.Send(new QueryUpdateMessage(query.Id, member.Key, Value.Null, "REMOVE"));
            }
            foreach (var row in page.Results)
            {
                var unchanged = query.Members.TryGetValue(row.Key, out var known) && known.Value.Equals(row.Value);
                query.Add(row.Key, row.Value, row.Timestamp);
                if (!unchanged) _channel.Send(new QueryUpdateMessage(query.Id, row.Key, query.Fields.Apply(row.Value), "UPDATE"));
            }
            query.Complete = !page.HasMore;
        });
    }

    /// <summary>Scatter-gathers the query's page; while it is out, feed changes are buffered and replayed afterwards.</summary>
    private void GatherPage(LiveQuery query, Action<QueryPage> onPage)
    {
        query.Ready = false;
        var now = _deps.Clock.WallMillis();
        var gather = StartGather(
            _deps.Gateway.OpTimeout,
            g =>
            {
                if (!IsLive(query)) return;
                onPage(QueryExecutor.Merge(g.Replies.OfType<PartitionQueryResult>().Select(r => r.Candidates), query.Spec, now));
                QueryReady(query);
            },
            (_, reason) =>
            {
                if (!IsLive(query)) return;
                if (query.Answered)
                {
                    _log.Warning("Client {0}: could not refill live query {1} on map {2}: {3}", _clientId, query.Id, query.MapName, reason);
                    QueryReady(query);
                    return;
                }
                OnQueryUnsub(query.Id);
                _channel.Send(new ErrorMessage(reason == "timed out" ? 503 : 400, $"Query '{query.Id}' on map '{query.MapName}' failed: {reason}"));
            });
        foreach (var partition in _partitions)
            Call(gather, query.MapName, partition, c => new QueryPartition(c, query.Spec, now));
    }

    private void QueryReady(LiveQuery query)
    {
        query.Answered = true;
        query.Ready = true;
        var orKeys = new HashSet<string>(StringComparer.Ordinal);
        var buffered = query.Buffered.ToArray();
        query.Buffered.Clear();
        foreach (var change in buffered)
        {
            if (change.Record is { } record) Offer(query, change.Key, LiveValue(record), record.Timestamp);
            else orKeys.Add(change.Key);
        }
        RefreshOrKeys(query.MapName, orKeys);
        if (query.RefillPending && query.Ready)
        {
            query.RefillPending = false;
            Refill(query);
        }
    }

    private void OnMapChanged(MapChanged changed)
    {
        if (_closing || !_subscriptions.ContainsKey(changed.MapName) || changed.Changes.Count == 0) return;

        if (changed.OriginId != _clientId)
        {
            var fields = Grant(changed.MapName).Fields;
            var events = changed.Changes.Select(c => ToEvent(changed.MapName, c, fields)).ToArray();
            var timestamp = _deps.Clock.Now();
            _channel.Send(events.Length == 1
                ? new ServerEventMessage(events[0], timestamp)
                : new ServerBatchEventMessage(events, timestamp));
        }

        if (!_queriesByMap.TryGetValue(changed.MapName, out var queries)) return;
        var orKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var query in queries)
        {
            foreach (var change in changed.Changes)
            {
                if (!query.Ready) Buffer(query, change);
                else if (change.Record is { } record) Offer(query, change.Key, LiveValue(record), record.Timestamp);
                else orKeys.Add(change.Key);
            }
        }
        RefreshOrKeys(changed.MapName, orKeys);
    }

    /// <summary>
    /// Holds a change until the page being gathered is out. The buffer is bounded: past the limit the
    /// changes are dropped and one more page is asked for afterwards, which covers all of them.
    /// </summary>
    private void Buffer(LiveQuery query, MapChange change)
    {
        if (query.RefillPending) return;
        if (query.Buffered.Count < MaxBufferedChanges)
        {
            query.Buffered.Add(change);
            return;
        }
        query.Buffered.Clear();
        query.RefillPending = true;
    }

    private Value? LiveValue(LwwRecord record) =>
        record.IsTombstone || record.IsExpired(_deps.Clock.WallMillis()) ? null : record.Value;

    /// <summary>
    /// An OR change carries one tag, not the key's value, so the key's entry is read back from its
    /// partition and offered to the queries the way a snapshot offers it: the array of its live values.
    /// </summary>
    private void RefreshOrKeys(string mapName, IReadOnlyCollection<string> keys)
    {
        if (keys.Count == 0) return;
        var gather = StartGather(
            _deps.Gateway.OpTimeout,
            g =>
            {
                if (!_queriesByMap.TryGetValue(mapName, out var queries)) return;
                var now = _deps.Clock.WallMillis();
                foreach (var entry in g.Replies.OfType<OrEntriesResult>().SelectMany(r => r.Entries))
                {
                    var live = entry.Records.Where(r => !r.IsExpired(now)).OrderBy(r => r.Timestamp).ToArray();
                    Value? value = live.Length == 0 ? null : Value.Array(live.Select(r => r.Value).ToArray());
                    foreach (var query in queries)
                    {
                        if (query.Ready) Offer(query, entry.Key, value, null);
                    }
                }
            },
            (_, reason) => _log.Warning("Client {0}: could not refresh OR keys of map {1} for live queries: {2}", _clientId, mapName, reason));
        foreach (var group in keys.GroupBy(PartitionOf))
        {
            var partitionKeys = group.ToArray();
            Call(gather, mapName, group.Key, c => new GetOrEntries(c, partitionKeys));
        }
    }

    private static ServerEventPayload ToEvent(string mapName, MapChange change, FieldFilter fields) => change switch
    {
        { OrAdded: { } added } => new ServerEventPayload(mapName, change.Key, "OR_ADD", OrRecord: fields.Apply(added)),
        { OrRemovedTag: { } tag } => new ServerEventPayload(mapName, change.Key, "OR_REMOVE", OrTag: tag),
        _ => new ServerEventPayload(mapName, change.Key, "UPDATED", Record: change.Record is { } r ? fields.Apply(r) : null),
    };

    /// <summary>
    /// Enter/update/leave of one key; <paramref name="value"/> is null when the key is gone. A limited
    /// query keeps its window: a better-ranked record entering a full window pushes the last member out,
    /// and a member leaving a window with records outside it refills the window from the partitions.
    /// </summary>
    private void Offer(LiveQuery query, string key, Value? value, Timestamp? timestamp)
    {
        var known = query.Members.GetValueOrDefault(key);
        // The feed and a page reply travel separately; a change older than what the window holds is stale.
        if (known is { Timestamp: { } held } && timestamp is { } incoming && incoming <= held) return;

        var matches = value is not null && query.Spec.Matches(key, value)
            && (query.After is null || query.After.IsAfterCursor(new QueryCandidate(key, value, timestamp)));
        if (!matches)
        {
            if (known is null) return;
            query.Remove(key);
            _channel.Send(new QueryUpdateMessage(query.Id, key, Value.Null, "REMOVE"));
            if (query.IsLimited && !query.Complete) Refill(query);
            return;
        }

        if (known is null && query.IsLimited && query.Members.Count >= query.Spec.Limit)
        {
            var last = query.Last!;
            query.Complete = false;
            if (query.Spec.Comparer.Compare(key, value!, last.Key, last.Value) >= 0) return;
            query.Remove(last.Key);
            _channel.Send(new QueryUpdateMessage(query.Id, last.Key, Value.Null, "REMOVE"));
        }
        query.Add(key, value!, timestamp);
        _channel.Send(new QueryUpdateMessage(query.Id, key, query.Fields.Apply(value!), "UPDATE"));
        // A member that moved to the end of a window may now rank below a record outside it.
        if (known is not null && query.IsLimited && !query.Complete && query.Last?.Key == key) Refill(query);
    }

    /// <summary>Filter and sort attributes the client may not read; empty when every field is visible.</summary>
    private static List<string> HiddenFieldsOf(QuerySpec spec, FieldFilter fields)
    {
        var hidden = new List<string>();
        if (fields.IsAll) return hidden;
        var pending = new Stack<PredicateNode>();
        if (spec.Filter is not null) pending.Push(spec.Filter);
        while (pending.TryPop(out var node))
        {
            if (node.Attribute is { } attribute && !fields.Allows(attribute) && !hidden.Contains(attribute)) hidden.Add(attribute);
            foreach (var child in node.Children) pending.Push(child);
        }
        foreach (var sort in spec.Sort)
        {
            if (!fields.Allows(sort.Field) && !hidden.Contains(sort.Field)) hidden.Add(sort.Field);
        }
        return hidden;
    }

    /// <summary>
    /// One live query: the members the client currently holds (ordered when limited, so the window's last
    /// member is known), whether the window holds every match (<see cref="Complete"/>), and changes buffered
    /// while a page is being gathered.
    /// </summary>
    private sealed class LiveQuery
    {
        public LiveQuery(string id, string mapName, QuerySpec spec, FieldFilter fields, QueryCursor? after)
        {
            Id = id;
            MapName = mapName;
            Spec = spec;
            Fields = fields;
            After = after;
            if (spec.Limit is not null)
                _order = new SortedSet<Member>(Comparer<Member>.Create((a, b) => spec.Comparer.Compare(a.Key, a.Value, b.Key, b.Value)));
        }

        private readonly SortedSet<Member>? _order;

        public string Id { get; }
        public string MapName { get; }
        public QuerySpec Spec { get; }
        public FieldFilter Fields { get; }

        /// <summary>Position of the client's cursor: only records after it belong to this page.</summary>
        public QueryCursor? After { get; }

        public bool IsLimited => _order is not null;

        /// <summary>Bounded by the query's limit, or by what an unlimited query matched.</summary>
        public Dictionary<string, Member> Members { get; } = new(StringComparer.Ordinal);

        public Member? Last => _order?.Max;

        /// <summary>False while matches may exist outside a limited window; then a leaving member triggers a refill.</summary>
        public bool Complete { get; set; } = true;

        /// <summary>False while a page (snapshot or refill) is being gathered.</summary>
        public bool Ready { get; set; }

        /// <summary>True once the snapshot was sent; a later failed refill keeps the query alive.</summary>
        public bool Answered { get; set; }

        public bool RefillPending { get; set; }

        public List<MapChange> Buffered { get; } = [];

        public void Add(string key, Value value, Timestamp? timestamp)
        {
            Remove(key);
            var member = new Member(key, value, timestamp);
            Members[key] = member;
            _order?.Add(member);
        }

        public void Remove(string key)
        {
            if (Members.Remove(key, out var member)) _order?.Remove(member);
        }
    }

    private sealed record Member(string Key, Value Value, Timestamp? Timestamp);

    private sealed class MapSubscription
    {
        public int Queries { get; set; }
        public bool Acknowledged { get; set; }
        public List<Action> Waiting { get; } = [];
    }
}
