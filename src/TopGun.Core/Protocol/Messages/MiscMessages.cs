using MessagePack;
using TopGun.Core.Clock;
using TopGun.Core.Values;

namespace TopGun.Core.Protocol;

/// <summary>C→S heartbeat with the client's wall clock.</summary>
public sealed record PingMessage(double Timestamp) : Message
{
    public override string Type => MessageTypes.Ping;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "PING"u8);
        WireWriter.Float(ref w, "timestamp"u8, Timestamp);
    }

    internal static PingMessage Read(ref WireReader r)
    {
        double? ts = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("timestamp"u8)) ts = r.Num("timestamp");
            else r.Skip();
        }
        return new PingMessage(r.Required(ts, "timestamp"));
    }
}

/// <summary>S→C heartbeat reply: the ping's timestamp echoed, and the server's wall clock.</summary>
public sealed record PongMessage(double Timestamp, double ServerTime) : Message
{
    public override string Type => MessageTypes.Pong;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 3, "PONG"u8);
        WireWriter.Float(ref w, "timestamp"u8, Timestamp);
        WireWriter.Float(ref w, "serverTime"u8, ServerTime);
    }

    internal static PongMessage Read(ref WireReader r)
    {
        double? ts = null, serverTime = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("timestamp"u8)) ts = r.Num("timestamp");
            else if (k.SequenceEqual("serverTime"u8)) serverTime = r.Num("serverTime");
            else r.Skip();
        }
        return new PongMessage(r.Required(ts, "timestamp"), r.Required(serverTime, "serverTime"));
    }
}

/// <summary>S→C error report: 400 invalid, 403 denied, 429 rate-limited, 500, 501, 503.</summary>
public sealed record ErrorMessage(int Code, string Message, Value? Details = null) : Message
{
    public override string Type => MessageTypes.Error;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "ERROR"u8);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, Details is null ? 2 : 3);
        WireWriter.Num(ref w, "code"u8, Code);
        WireWriter.Str(ref w, "message"u8, Message);
        if (Details is not null) WireWriter.Any(ref w, "details"u8, Details);
    }

    internal static ErrorMessage Read(ref WireReader r)
    {
        int? code = null;
        string? message = null;
        Value? details = null;
        var n = r.Payload();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("code"u8)) code = r.Int32("code");
            else if (k.SequenceEqual("message"u8)) message = r.Str("message");
            else if (k.SequenceEqual("details"u8)) details = r.Any("details");
            else r.Skip();
        }
        return new ErrorMessage(r.Required(code, "code"), r.Required(message, "message"), details);
    }
}

/// <summary>S→C before a graceful shutdown: reconnect after <see cref="RetryAfter"/> ms.</summary>
public sealed record ShutdownPendingMessage(long RetryAfter) : Message
{
    public override string Type => MessageTypes.ShutdownPending;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "SHUTDOWN_PENDING"u8);
        WireWriter.Num(ref w, "retryAfter"u8, RetryAfter);
    }

    internal static ShutdownPendingMessage Read(ref WireReader r)
    {
        long? retryAfter = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("retryAfter"u8)) retryAfter = r.NonNegInt("retryAfter");
            else r.Skip();
        }
        return new ShutdownPendingMessage(r.Required(retryAfter, "retryAfter"));
    }
}

/// <summary>S→C: tombstones older than <see cref="OlderThan"/> were pruned.</summary>
public sealed record GcPruneMessage(Timestamp OlderThan) : Message
{
    public override string Type => MessageTypes.GcPrune;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "GC_PRUNE"u8);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 1);
        WireWriter.Timestamp(ref w, "olderThan"u8, OlderThan);
    }

    internal static GcPruneMessage Read(ref WireReader r)
    {
        Timestamp? olderThan = null;
        var n = r.Payload();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("olderThan"u8)) olderThan = r.Timestamp("olderThan");
            else r.Skip();
        }
        return new GcPruneMessage(r.Required(olderThan, "olderThan"));
    }
}

/// <summary>
/// S→C coalesced frame (<c>{type:'BATCH', count, data}</c>). Decoding unwraps nested batches into one
/// flat list; encoding writes the length-prefixed frame (see <see cref="BatchFrameWriter"/> for the
/// server's allocation-free path over already encoded messages).
/// </summary>
public sealed record BatchMessage(WireList<Message> Messages) : Message
{
    public override string Type => MessageTypes.Batch;

    internal override void Write(ref MessagePackWriter w)
    {
        using var batch = new BatchFrameWriter();
        foreach (var m in Messages) batch.Add(m);
        batch.WriteFrame(ref w);
    }
}
