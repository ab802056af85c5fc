using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Queries;
using TopGun.Core.Values;
using TopGun.Server.Maps;

namespace TopGun.Server.Gateway;

/// <summary>
/// Live queries and the change feed. A connection listens to a map's topic only while it has a query on
/// it; the snapshot is scattered to every partition after the subscription is confirmed (so no change
/// falls between snapshot and feed), and changes that arrive before the snapshot is out are replayed
/// after it. Matching happens here, in the connection, never in the partition. Result keys are kept
/// per query for enter/leave decisions; limits and sort order apply to the snapshot page only.
/// </summary>
public sealed partial class ConnectionActor
{
    private readonly Dictionary<string, LiveQuery> _queries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MapSubscription> _subscriptions = new(StringComparer.Ordinal);

    private void OnQuerySub(QuerySubMessage sub)
    {
        if (string.IsNullOrEmpty(sub.QueryId))
        {
            InvalidMessage("QUERY_SUB payload.queryId: must not be empty");
            return;
        }
        if (CheckMapName(sub.MapName) is { } mapError)
        {
            InvalidMessage("QUERY_SUB " + mapError);
            return;
        }
        if (!QuerySpec.TryParse(sub.Query, out var spec, out var queryError))
        {
            _channel.Send(new ErrorMessage(400, "Invalid query", Value.Of(queryError)));
            return;
        }

        OnQueryUnsub(sub.QueryId);
        var query = new LiveQuery(sub.QueryId, sub.MapName, spec);
        _queries[query.Id] = query;
        Subscribe(query.MapName, () =>
        {
            if (_queries.GetValueOrDefault(query.Id) == query) RunSnapshot(query);
        });
    }

    private void OnQueryUnsub(string queryId)
    {
        if (!_queries.Remove(queryId, out var query)) return;
        if (!_subscriptions.TryGetValue(query.MapName, out var subscription)) return;
        if (--subscription.Queries > 0) return;
        _subscriptions.Remove(query.MapName);
        _deps.Mediator.Tell(new Unsubscribe(MapChanged.Topic(query.MapName), Self), Self);
    }

    private void Subscribe(string mapName, Action onSubscribed)
    {
        if (!_subscriptions.TryGetValue(mapName, out var subscription))
        {
            subscription = new MapSubscription();
            _subscriptions[mapName] = subscription;
            _deps.Mediator.Tell(new Subscribe(MapChanged.Topic(mapName), Self), Self);
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

    private void RunSnapshot(LiveQuery query)
    {
        var now = _deps.Clock.WallMillis();
        var gather = StartGather(
            _deps.Gateway.OpTimeout,
            g =>
            {
                if (_queries.GetValueOrDefault(query.Id) != query || _closing) return;
                var page = QueryExecutor.Merge(g.Replies.OfType<PartitionQueryResult>().Select(r => r.Candidates), query.Spec, now);
                _channel.Send(new QueryRespMessage(
                    query.Id,
                    page.Results.Select(c => new QueryResultItem(c.Key, c.Value, c.Timestamp)).ToArray(),
                    page.NextCursor,
                    page.HasMore,
                    page.CursorStatus.ToWireName()));
                foreach (var row in page.Results) query.Keys.Add(row.Key);
                query.Ready = true;
                var orKeys = new HashSet<string>(StringComparer.Ordinal);
                foreach (var change in query.Buffered)
                {
                    if (change.Record is { } record) Evaluate(query, change.Key, LiveValue(record));
                    else orKeys.Add(change.Key);
                }
                query.Buffered.Clear();
                RefreshOrKeys(query.MapName, orKeys);
            },
            (_, reason) =>
            {
                if (_queries.GetValueOrDefault(query.Id) != query || _closing) return;
                OnQueryUnsub(query.Id);
                _channel.Send(new ErrorMessage(reason == "timed out" ? 503 : 400, $"Query '{query.Id}' on map '{query.MapName}' failed: {reason}"));
            });
        foreach (var partition in _partitions)
            Call(gather, query.MapName, partition, c => new QueryPartition(c, query.Spec, now));
    }

    private void OnMapChanged(MapChanged changed)
    {
        if (_closing || !_subscriptions.ContainsKey(changed.MapName) || changed.Changes.Count == 0) return;

        if (changed.OriginId != _clientId)
        {
            var events = changed.Changes.Select(c => ToEvent(changed.MapName, c)).ToArray();
            var timestamp = _deps.Clock.Now();
            _channel.Send(events.Length == 1
                ? new ServerEventMessage(events[0], timestamp)
                : new ServerBatchEventMessage(events, timestamp));
        }

        var orKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var query in _queries.Values)
        {
            if (query.MapName != changed.MapName) continue;
            foreach (var change in changed.Changes)
            {
                if (!query.Ready) query.Buffered.Add(change);
                else if (change.Record is { } record) Evaluate(query, change.Key, LiveValue(record));
                else orKeys.Add(change.Key);
            }
        }
        RefreshOrKeys(changed.MapName, orKeys);
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
                var now = _deps.Clock.WallMillis();
                foreach (var entry in g.Replies.OfType<OrEntriesResult>().SelectMany(r => r.Entries))
                {
                    var live = entry.Records.Where(r => !r.IsExpired(now)).OrderBy(r => r.Timestamp).ToArray();
                    Value? value = live.Length == 0 ? null : Value.Array(live.Select(r => r.Value).ToArray());
                    foreach (var query in _queries.Values)
                    {
                        if (query.MapName == mapName && query.Ready) Evaluate(query, entry.Key, value);
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

    private static ServerEventPayload ToEvent(string mapName, MapChange change) => change switch
    {
        { OrAdded: { } added } => new ServerEventPayload(mapName, change.Key, "OR_ADD", OrRecord: added),
        { OrRemovedTag: { } tag } => new ServerEventPayload(mapName, change.Key, "OR_REMOVE", OrTag: tag),
        _ => new ServerEventPayload(mapName, change.Key, "UPDATED", Record: change.Record),
    };

    /// <summary>Enter/update/leave of one key; <paramref name="value"/> is null when the key is gone.</summary>
    private void Evaluate(LiveQuery query, string key, Value? value)
    {
        if (value is not null && query.Spec.Matches(key, value))
        {
            query.Keys.Add(key);
            _channel.Send(new QueryUpdateMessage(query.Id, key, value, "UPDATE"));
        }
        else if (query.Keys.Remove(key))
        {
            _channel.Send(new QueryUpdateMessage(query.Id, key, Value.Null, "REMOVE"));
        }
    }

    private sealed class LiveQuery(string id, string mapName, QuerySpec spec)
    {
        public string Id { get; } = id;
        public string MapName { get; } = mapName;
        public QuerySpec Spec { get; } = spec;

        /// <summary>Keys the client currently holds as results; bounded by what this query matched.</summary>
        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

        public bool Ready { get; set; }

        /// <summary>Changes seen while the snapshot was being gathered, replayed once it is sent.</summary>
        public List<MapChange> Buffered { get; } = [];
    }

    private sealed class MapSubscription
    {
        public int Queries { get; set; }
        public bool Acknowledged { get; set; }
        public List<Action> Waiting { get; } = [];
    }
}
