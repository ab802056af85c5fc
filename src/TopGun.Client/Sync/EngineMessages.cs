using TopGun.Client.Replica;
using TopGun.Client.Storage;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Values;

namespace TopGun.Client.Sync;

/// <summary>A live query as the sync engine sees it: what to subscribe and where results go.</summary>
internal interface IQuerySink
{
    string QueryId { get; }
    string MapName { get; }
    Value QueryValue { get; }
    void OnServerResponse(QueryRespMessage response);
    void OnServerUpdate(QueryUpdateMessage update);
}

internal interface ITopicSink
{
    string Topic { get; }
    void OnMessage(TopicMessageMessage message);
}

internal interface ICounterSink
{
    string Name { get; }
    PnCounterState State { get; }
    void OnRemoteState(PnCounterState state);
}

/// <summary>
/// Messages the client and its handles send to the sync engine. Internal to one process: they never
/// cross a network, so they carry object references (sinks, completion sources) freely.
/// </summary>
internal static class EngineMessages
{
    public sealed record Start;
    public sealed record Stop(TaskCompletionSource Done);
    public sealed record OpsDurable(IReadOnlyList<PendingOp> Ops);
    public sealed record MapAdded(IMapReplica Replica);
    public sealed record DropOldestOp;
    public sealed record RegisterQuery(IQuerySink Sink);
    public sealed record UnregisterQuery(string QueryId);
    public sealed record SubscribeTopic(ITopicSink Sink);
    public sealed record UnsubscribeTopic(ITopicSink Sink);
    public sealed record PublishTopic(string Topic, Value Data);
    public sealed record RegisterCounter(ICounterSink Sink);
    public sealed record CounterChanged(string Name);
    public sealed record AcquireLock(string RequestId, string Name, long? TtlMs, TaskCompletionSource<long> Granted);
    public sealed record ReleaseLock(string RequestId, string Name, long FencingToken, TaskCompletionSource<bool> Released);
    public sealed record CancelLock(string RequestId);
}

/// <summary>Messages the sync engine sends itself from its socket and timer callbacks.</summary>
internal static class EngineSignals
{
    public sealed record Connected(int Generation, WebSocketConnection? Connection, string? Token, Exception? Error);
    public sealed record Inbound(int Generation, Message Message);
    public sealed record ConnectionLost(WebSocketConnection Connection, string Reason);
    public sealed record HeartbeatTick
    {
        public static readonly HeartbeatTick Instance = new();
    }
    public sealed record ReconnectTick
    {
        public static readonly ReconnectTick Instance = new();
    }
}
