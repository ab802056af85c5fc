using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Queries;
using TopGun.Core.Values;

namespace TopGun.Client.Tests.TestPeer;

/// <summary>
/// TEST DOUBLE, not the product server: a minimal scripted TopGun protocol peer on a loopback
/// Kestrel WebSocket (port 0) that speaks protocol.md with Core's <see cref="WireCodec"/> and keeps
/// its state in Core's <see cref="LwwMap"/> / <see cref="OrMap"/>. It implements just enough of the
/// server side (auth, heartbeat, op batches and acks, LWW and OR Merkle sync, server events, live
/// queries, topics, counters, locks) to exercise the client's sync engine over a real socket, plus
/// hooks a real server lacks: hold acks, drop every socket, or drop the socket on the Nth message of
/// a type (a restart in the middle of a sync). Its state survives dropped sockets.
/// </summary>
public sealed class ScriptedPeer : ISyncTestServer
{
    private readonly object _gate = new();
    private readonly Hlc _clock = new("peer");
    private readonly Dictionary<string, LwwMap> _lww = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OrMap> _or = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, HashSet<string>>> _orKeyTombstones = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PnCounter> _counters = new(StringComparer.Ordinal);
    private readonly List<PeerConnection> _connections = [];
    private readonly List<string> _receivedOpIds = [];
    private readonly List<ClientOp> _receivedOps = [];
    private int _endedByPeer;
    private readonly List<string> _tokens = [];
    private readonly Dictionary<string, int> _received = new(StringComparer.Ordinal);
    private readonly WebApplication _app;
    private long _fencing;
    private (string Type, int Count)? _dropOn;

    private ScriptedPeer(WebApplication app) => _app = app;

    public static async Task<ScriptedPeer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var peer = new ScriptedPeer(app);
        app.UseWebSockets();
        app.Run(peer.AcceptAsync);
        await app.StartAsync();
        peer.Url = new Uri(app.Urls.First().Replace("http://", "ws://") + "/");
        return peer;
    }

    public Uri Url { get; private set; } = null!;

    /// <summary>While set, OP_BATCHes are applied but not acknowledged.</summary>
    public bool HoldAcks { get; set; }

    /// <summary>While set, PINGs are counted but never answered and the socket stays open: a server that hangs.</summary>
    public bool IgnorePings { get; set; }

    /// <summary>Tokens that get AUTH_FAIL.</summary>
    public Func<string, bool> RejectToken { get; set; } = _ => false;

    public IReadOnlyList<string> Tokens { get { lock (_gate) return _tokens.ToList(); } }

    /// <summary>Op ids in the order they arrived, duplicates included.</summary>
    public IReadOnlyList<string> ReceivedOpIds { get { lock (_gate) return _receivedOpIds.ToList(); } }

    /// <summary>Ops in the order they arrived, duplicates included.</summary>
    public IReadOnlyList<ClientOp> ReceivedOps { get { lock (_gate) return _receivedOps.ToList(); } }

    /// <summary>Connections the peer ended itself (a scripted drop, a refused token), as opposed to the client closing them.</summary>
    public int ConnectionsEndedByPeer { get { lock (_gate) return _endedByPeer; } }

    public int ReceivedCount(string type) { lock (_gate) return _received.GetValueOrDefault(type); }

    public int ConnectionCount { get { lock (_gate) return _connections.Count; } }

    /// <summary>Aborts the connection that sends the <paramref name="count"/>-th message of <paramref name="type"/> (counted from now), before answering it.</summary>
    public void DropConnectionOn(string type, int count)
    {
        lock (_gate)
        {
            _dropOn = (type, count + _received.GetValueOrDefault(type));
        }
    }

    public Task DropConnectionsAsync()
    {
        List<PeerConnection> all;
        lock (_gate)
        {
            all = _connections.ToList();
            _endedByPeer += all.Count;
        }
        foreach (var c in all) c.Socket.Abort();
        return Task.CompletedTask;
    }

    /// <summary>Sends a scripted message to every authenticated connection (e.g. SYNC_RESET_REQUIRED, GC_PRUNE).</summary>
    public void SendToAll(Message message)
    {
        lock (_gate) Broadcast(null, message);
    }

    // ---- state seen from the test ----

    public Value? Get(string map, string key)
    {
        lock (_gate) return _lww.TryGetValue(map, out var m) ? m.Get(key) : null;
    }

    public IReadOnlyList<Value> OrGet(string map, string key)
    {
        lock (_gate) return _or.TryGetValue(map, out var m) ? m.Get(key) : [];
    }

    public uint RootHash(string map)
    {
        lock (_gate) return _lww.TryGetValue(map, out var m) ? m.Merkle.RootHash : _or.TryGetValue(map, out var o) ? o.Merkle.RootHash : 0;
    }

    /// <summary>A write made on the server side (as if by another client) and broadcast to every connection.</summary>
    public void Put(string map, string key, Value value)
    {
        lock (_gate)
        {
            var record = Lww(map).Set(key, value);
            OnLwwChanged(null, map, key, record);
        }
    }

    public void Remove(string map, string key)
    {
        lock (_gate)
        {
            var record = Lww(map).Remove(key);
            OnLwwChanged(null, map, key, record);
        }
    }

    public void OrAdd(string map, string key, Value value)
    {
        lock (_gate)
        {
            var record = Or(map).Add(key, value);
            Broadcast(null, new ServerEventMessage(new ServerEventPayload(map, key, "OR_ADD", OrRecord: record), _clock.Now()));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DropConnectionsAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // ---- protocol ----

    private async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new PeerConnection(socket);
        lock (_gate) _connections.Add(connection);
        connection.Send(new AuthRequiredMessage());
        try
        {
            var buffer = new byte[1 << 20];
            while (socket.State == WebSocketState.Open)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                } while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close) break;
                if (!WireCodec.Default.TryDecode(buffer.AsMemory(0, length), out var message, out _) || message is null) continue;
                if (!Handle(connection, message))
                {
                    lock (_gate) _endedByPeer++;
                    break;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the test dropped the socket.
        }
        finally
        {
            lock (_gate)
            {
                _connections.Remove(connection);
                foreach (var topic in _topicSubs.Values) topic.Remove(connection);
            }
            await connection.DrainAsync();
            await connection.CloseGracefullyAsync();
            connection.Socket.Abort();
        }
    }

    private readonly Dictionary<string, HashSet<PeerConnection>> _topicSubs = new(StringComparer.Ordinal);

    /// <returns>False when the connection must end.</returns>
    private bool Handle(PeerConnection c, Message message)
    {
        lock (_gate)
        {
            var count = _received[message.Type] = _received.GetValueOrDefault(message.Type) + 1;
            if (_dropOn is { } drop && drop.Type == message.Type && drop.Count == count)
            {
                // Frames already queued still go out (as from a server that dies after sending them); this one is never answered.
                _dropOn = null;
                return false;
            }

            if (!c.Authenticated && message is not AuthMessage and not PingMessage)
            {
                c.Socket.Abort();
                return false;
            }

            switch (message)
            {
                case AuthMessage auth:
                    _tokens.Add(auth.Token);
                    if (RejectToken(auth.Token))
                    {
                        c.Send(new AuthFailMessage("invalid token"));
                        c.Close(4001);
                        return false;
                    }
                    c.Authenticated = true;
                    c.Send(new AuthAckMessage());
                    break;
                case PingMessage when IgnorePings:
                    break;
                case PingMessage ping:
                    c.Send(new PongMessage(ping.Timestamp, _clock.WallMillis()));
                    break;
                case OpBatchMessage batch:
                    foreach (var op in batch.Ops) ApplyOp(c, op);
                    if (!HoldAcks && batch.Ops.Count > 0) c.Send(new OpAckMessage(batch.Ops[batch.Ops.Count - 1].Id ?? "", WriteConcern.Persisted));
                    break;
                case SyncInitMessage init:
                    c.Send(new SyncRespRootMessage(init.MapName, Lww(init.MapName).Merkle.RootHash, _clock.Now()));
                    break;
                case MerkleReqBucketMessage req:
                {
                    var map = Lww(req.MapName);
                    if (map.Merkle.IsLeafPath(req.Path))
                    {
                        var records = map.Merkle.GetKeysInBucket(req.Path).Select(k => new SyncLeafRecord(k, map.GetRecord(k)!)).ToArray();
                        c.Send(new SyncRespLeafMessage(req.MapName, req.Path, records));
                    }
                    else c.Send(new SyncRespBucketsMessage(req.MapName, req.Path, Buckets(map.Merkle.GetBuckets(req.Path))));
                    break;
                }
                case OrMapSyncInitMessage init:
                    c.Send(new OrMapSyncRespRootMessage(init.MapName, Or(init.MapName).Merkle.RootHash, _clock.Now()));
                    break;
                case OrMapMerkleReqBucketMessage req:
                {
                    var map = Or(req.MapName);
                    if (map.Merkle.IsLeafPath(req.Path))
                    {
                        var entries = map.Merkle.GetKeysInBucket(req.Path).Select(k => OrEntry(req.MapName, k)).ToArray();
                        c.Send(new OrMapSyncRespLeafMessage(req.MapName, req.Path, entries));
                    }
                    else c.Send(new OrMapSyncRespBucketsMessage(req.MapName, req.Path, Buckets(map.Merkle.GetBuckets(req.Path))));
                    break;
                }
                case OrMapPushDiffMessage push:
                    foreach (var entry in push.Entries)
                    {
                        var result = Or(push.MapName).MergeKey(entry.Key, entry.Records, entry.Tombstones);
                        foreach (var tag in entry.Tombstones) KeyTombstones(push.MapName, entry.Key).Add(tag);
                        foreach (var added in result.Added)
                            Broadcast(c, new ServerEventMessage(new ServerEventPayload(push.MapName, entry.Key, "OR_ADD", OrRecord: added), _clock.Now()));
                    }
                    break;
                case QuerySubMessage sub:
                {
                    var spec = QuerySpec.Parse(sub.Query);
                    var map = Lww(sub.MapName);
                    var page = QueryExecutor.Execute(map.Entries.Select(e => new QueryCandidate(e.Key, e.Value, map.GetRecord(e.Key)!.Timestamp)), spec, _clock.WallMillis());
                    c.Queries[sub.QueryId] = new PeerQuery(sub.MapName, spec, page.Results.Select(r => r.Key).ToHashSet(StringComparer.Ordinal));
                    c.Send(new QueryRespMessage(sub.QueryId, page.Results.Select(r => new QueryResultItem(r.Key, r.Value)).ToArray(),
                        page.NextCursor, page.HasMore, page.CursorStatus.ToWireName()));
                    break;
                }
                case QueryUnsubMessage unsub:
                    c.Queries.Remove(unsub.QueryId);
                    break;
                case TopicSubMessage sub:
                    if (!_topicSubs.TryGetValue(sub.Topic, out var subs)) _topicSubs[sub.Topic] = subs = [];
                    subs.Add(c);
                    break;
                case TopicUnsubMessage unsub:
                    if (_topicSubs.TryGetValue(unsub.Topic, out var current)) current.Remove(c);
                    break;
                case TopicPubMessage pub:
                    if (_topicSubs.TryGetValue(pub.Topic, out var targets))
                        foreach (var target in targets.Where(t => t != c))
                            target.Send(new TopicMessageMessage(pub.Topic, pub.Data, _clock.WallMillis(), c.GetHashCode().ToString()));
                    break;
                case CounterRequestMessage req:
                    c.Counters.Add(req.Name);
                    c.Send(new CounterResponseMessage(req.Name, Payload(Counter(req.Name).State)));
                    break;
                case CounterSyncMessage sync:
                {
                    var counter = Counter(sync.Name);
                    counter.Merge(new PnCounterState(sync.State.P.Entries.ToArray(), sync.State.N.Entries.ToArray()));
                    foreach (var other in _connections.Where(o => o.Counters.Contains(sync.Name)))
                        other.Send(new CounterUpdateMessage(sync.Name, Payload(counter.State)));
                    break;
                }
                case LockRequestMessage req:
                    c.Send(new LockGrantedMessage(req.RequestId, req.Name, ++_fencing));
                    break;
                case LockReleaseMessage rel:
                    c.Send(new LockReleasedMessage(rel.RequestId ?? "", rel.Name, true));
                    break;
            }
            return true;
        }
    }

    private void ApplyOp(PeerConnection c, ClientOp op)
    {
        if (op.Id is not null) _receivedOpIds.Add(op.Id);
        _receivedOps.Add(op);
        switch (op.OpType)
        {
            case "OR_ADD" when op.OrRecord is { } record:
                if (Or(op.MapName).Apply(op.Key, record))
                    Broadcast(c, new ServerEventMessage(new ServerEventPayload(op.MapName, op.Key, "OR_ADD", OrRecord: record), _clock.Now()));
                break;
            case "OR_REMOVE" when op.OrTag is { } tag:
                KeyTombstones(op.MapName, op.Key).Add(tag);
                if (Or(op.MapName).ApplyTombstone(tag))
                    Broadcast(c, new ServerEventMessage(new ServerEventPayload(op.MapName, op.Key, "OR_REMOVE", OrTag: tag), _clock.Now()));
                break;
            default:
                if (op.Record is { } lww && Lww(op.MapName).Merge(op.Key, lww)) OnLwwChanged(c, op.MapName, op.Key, lww);
                break;
        }
    }

    private void OnLwwChanged(PeerConnection? writer, string map, string key, LwwRecord record)
    {
        Broadcast(writer, new ServerEventMessage(new ServerEventPayload(map, key, "UPDATED", Record: record), _clock.Now()));
        var live = Lww(map).Get(key);
        foreach (var c in _connections.Where(c => c != writer && c.Authenticated))
        {
            foreach (var (queryId, query) in c.Queries)
            {
                if (query.MapName != map) continue;
                if (live is not null && query.Spec.Matches(key, live))
                {
                    query.Keys.Add(key);
                    c.Send(new QueryUpdateMessage(queryId, key, live, "UPDATE"));
                }
                else if (query.Keys.Remove(key))
                {
                    c.Send(new QueryUpdateMessage(queryId, key, Value.Null, "REMOVE"));
                }
            }
        }
    }

    private void Broadcast(PeerConnection? except, Message message)
    {
        foreach (var c in _connections)
            if (c != except && c.Authenticated) c.Send(message);
    }

    private LwwMap Lww(string name)
    {
        if (!_lww.TryGetValue(name, out var map)) _lww[name] = map = new LwwMap(_clock);
        return map;
    }

    private OrMap Or(string name)
    {
        if (!_or.TryGetValue(name, out var map)) _or[name] = map = new OrMap(_clock);
        return map;
    }

    private PnCounter Counter(string name)
    {
        if (!_counters.TryGetValue(name, out var counter)) _counters[name] = counter = new PnCounter();
        return counter;
    }

    private HashSet<string> KeyTombstones(string map, string key)
    {
        if (!_orKeyTombstones.TryGetValue(map, out var keys)) _orKeyTombstones[map] = keys = new(StringComparer.Ordinal);
        if (!keys.TryGetValue(key, out var tags)) keys[key] = tags = new(StringComparer.Ordinal);
        return tags;
    }

    private OrMapEntry OrEntry(string map, string key) =>
        new(key, Or(map).GetRecords(key, includeExpired: true).ToArray(), KeyTombstones(map, key).ToArray());

    private static WireMap<uint> Buckets(IReadOnlyDictionary<char, uint> buckets) =>
        new(buckets.Select(b => new KeyValuePair<string, uint>(b.Key.ToString(), b.Value)).ToArray());

    private static CounterStatePayload Payload(PnCounterState state) =>
        new(new WireMap<double>(state.P.ToArray()), new WireMap<double>(state.N.ToArray()));

    private sealed record PeerQuery(string MapName, QuerySpec Spec, HashSet<string> Keys);

    private sealed class PeerConnection
    {
        private readonly System.Threading.Channels.Channel<(byte[]? Frame, int CloseCode)> _outbound =
            System.Threading.Channels.Channel.CreateUnbounded<(byte[]?, int)>();

        public PeerConnection(WebSocket socket)
        {
            Socket = socket;
            _sending = Task.Run(SendLoop);
        }

        private readonly Task _sending;

        /// <summary>
        /// Ends with a close handshake rather than a reset: a TCP reset may discard frames the client
        /// has received but not read yet (an OP_ACK, an AUTH_FAIL), which would make the tests' drops lossy.
        /// </summary>
        public async Task CloseGracefullyAsync()
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                if (Socket.State == WebSocketState.Open)
                    await Socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "peer closing", timeout.Token);
                var scratch = new byte[4096];
                while (Socket.State == WebSocketState.CloseSent)
                {
                    var result = await Socket.ReceiveAsync(scratch.AsMemory(), timeout.Token);
                    if (result.MessageType == WebSocketMessageType.Close) break;
                }
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
                // The client aborted or never answered: the socket is reset below.
            }
        }

        /// <summary>Lets queued frames (e.g. AUTH_FAIL before its close) reach the client before the socket goes.</summary>
        public async Task DrainAsync()
        {
            _outbound.Writer.TryComplete();
            await _sending.WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        public WebSocket Socket { get; }
        public bool Authenticated { get; set; }
        public Dictionary<string, PeerQuery> Queries { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Counters { get; } = new(StringComparer.Ordinal);

        /// <summary>Queues a frame; one loop sends them in order without holding the peer's lock.</summary>
        public void Send(Message message) => _outbound.Writer.TryWrite((WireCodec.Encode(message), 0));

        public void Close(int code) => _outbound.Writer.TryWrite((null, code));

        private async Task SendLoop()
        {
            try
            {
                await foreach (var (frame, closeCode) in _outbound.Reader.ReadAllAsync())
                {
                    if (Socket.State != WebSocketState.Open) return;
                    if (frame is null)
                    {
                        await Socket.CloseOutputAsync((WebSocketCloseStatus)closeCode, "auth", CancellationToken.None);
                        return;
                    }
                    await Socket.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None);
                }
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The socket is gone; the receive loop cleans up.
            }
        }
    }
}
