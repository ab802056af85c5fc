using TopGun.Core.Crdt;
using TopGun.Core.Protocol;

namespace TopGun.Client.Sync;

/// <summary>Live queries, topics, counters and locks: subscriptions survive reconnects, requests wait for a connection.</summary>
internal sealed partial class SyncEngineActor
{
    /// <summary>Topic publishes made while offline; oldest dropped beyond this (topics are not durable).</summary>
    private const int MaxQueuedPublishes = 1_000;

    private readonly Dictionary<string, IQuerySink> _queries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ITopicSink>> _topics = new(StringComparer.Ordinal);
    private readonly Queue<EngineMessages.PublishTopic> _queuedPublishes = new();
    private readonly Dictionary<string, ICounterSink> _counters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EngineMessages.AcquireLock> _lockRequests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EngineMessages.ReleaseLock> _lockReleases = new(StringComparer.Ordinal);

    private void ReceiveFeatureMessages()
    {
        Receive<EngineMessages.RegisterQuery>(m =>
        {
            _queries[m.Sink.QueryId] = m.Sink;
            if (IsOnline) Send(new QuerySubMessage(m.Sink.QueryId, m.Sink.MapName, m.Sink.QueryValue));
        });
        Receive<EngineMessages.UnregisterQuery>(m =>
        {
            if (_queries.Remove(m.QueryId) && IsOnline) Send(new QueryUnsubMessage(m.QueryId));
        });
        Receive<EngineMessages.SubscribeTopic>(m =>
        {
            if (!_topics.TryGetValue(m.Sink.Topic, out var sinks))
            {
                sinks = [];
                _topics[m.Sink.Topic] = sinks;
                if (IsOnline) Send(new TopicSubMessage(m.Sink.Topic));
            }
            if (!sinks.Contains(m.Sink)) sinks.Add(m.Sink);
        });
        Receive<EngineMessages.UnsubscribeTopic>(m =>
        {
            if (!_topics.TryGetValue(m.Sink.Topic, out var sinks)) return;
            sinks.Remove(m.Sink);
            if (sinks.Count > 0) return;
            _topics.Remove(m.Sink.Topic);
            if (IsOnline) Send(new TopicUnsubMessage(m.Sink.Topic));
        });
        Receive<EngineMessages.PublishTopic>(m =>
        {
            if (IsOnline)
            {
                Send(new TopicPubMessage(m.Topic, m.Data));
                return;
            }
            if (_queuedPublishes.Count >= MaxQueuedPublishes) _queuedPublishes.Dequeue();
            _queuedPublishes.Enqueue(m);
        });
        Receive<EngineMessages.RegisterCounter>(m =>
        {
            _counters[m.Sink.Name] = m.Sink;
            if (IsOnline) Send(new CounterRequestMessage(m.Sink.Name));
        });
        Receive<EngineMessages.CounterChanged>(m =>
        {
            if (IsOnline && _counters.TryGetValue(m.Name, out var sink)) Send(new CounterSyncMessage(m.Name, ToPayload(sink.State)));
        });
        Receive<EngineMessages.AcquireLock>(m =>
        {
            _lockRequests[m.RequestId] = m;
            if (IsOnline) Send(new LockRequestMessage(m.RequestId, m.Name, m.TtlMs));
        });
        Receive<EngineMessages.ReleaseLock>(m =>
        {
            if (!IsOnline)
            {
                // The server drops a disconnected client's locks, so an offline release has nothing left to release.
                m.Released.TrySetResult(false);
                return;
            }
            _lockReleases[m.RequestId] = m;
            Send(new LockReleaseMessage(m.Name, m.FencingToken, m.RequestId));
        });
        Receive<EngineMessages.CancelLock>(m => _lockRequests.Remove(m.RequestId));
    }

    private void ResubscribeFeatures()
    {
        foreach (var sink in _queries.Values) Send(new QuerySubMessage(sink.QueryId, sink.MapName, sink.QueryValue));
        foreach (var topic in _topics.Keys) Send(new TopicSubMessage(topic));
        while (_queuedPublishes.TryDequeue(out var publish)) Send(new TopicPubMessage(publish.Topic, publish.Data));
        foreach (var sink in _counters.Values)
        {
            Send(new CounterRequestMessage(sink.Name));
            var state = sink.State;
            if (state.P.Count > 0 || state.N.Count > 0) Send(new CounterSyncMessage(sink.Name, ToPayload(state)));
        }
        foreach (var request in _lockRequests.Values) Send(new LockRequestMessage(request.RequestId, request.Name, request.TtlMs));
    }

    private void OnFeaturesDisconnected()
    {
        foreach (var release in _lockReleases.Values) release.Released.TrySetResult(false);
        _lockReleases.Clear();
    }

    private void DispatchFeature(Message message)
    {
        switch (message)
        {
            case QueryRespMessage resp:
                if (_queries.TryGetValue(resp.QueryId, out var q1)) q1.OnServerResponse(resp);
                break;
            case QueryUpdateMessage update:
                if (_queries.TryGetValue(update.QueryId, out var q2)) q2.OnServerUpdate(update);
                break;
            case TopicMessageMessage topicMessage:
                if (_topics.TryGetValue(topicMessage.Topic, out var sinks))
                    foreach (var sink in sinks.ToArray()) sink.OnMessage(topicMessage);
                break;
            case CounterResponseMessage counter:
                if (_counters.TryGetValue(counter.Name, out var c1)) c1.OnRemoteState(FromPayload(counter.State));
                break;
            case CounterUpdateMessage counter:
                if (_counters.TryGetValue(counter.Name, out var c2)) c2.OnRemoteState(FromPayload(counter.State));
                break;
            case LockGrantedMessage granted:
                if (_lockRequests.Remove(granted.RequestId, out var request)) request.Granted.TrySetResult(granted.FencingToken);
                break;
            case LockReleasedMessage released:
                if (_lockReleases.Remove(released.RequestId, out var release)) release.Released.TrySetResult(released.Success);
                break;
        }
    }

    private static CounterStatePayload ToPayload(PnCounterState state) =>
        new(new WireMap<double>(state.P.ToArray()), new WireMap<double>(state.N.ToArray()));

    private static PnCounterState FromPayload(CounterStatePayload payload) =>
        new(payload.P.Entries.ToArray(), payload.N.Entries.ToArray());
}
