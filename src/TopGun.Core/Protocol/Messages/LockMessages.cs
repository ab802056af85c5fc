using MessagePack;

namespace TopGun.Core.Protocol;

/// <summary>C→S: acquire (or extend) a lease lock; <see cref="Ttl"/> in ms.</summary>
public sealed record LockRequestMessage(string RequestId, string Name, long? Ttl = null) : Message
{
    public override string Type => MessageTypes.LockRequest;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "LOCK_REQUEST"u8);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 2 + WireWriter.Count(Ttl is not null));
        WireWriter.Str(ref w, "requestId"u8, RequestId);
        WireWriter.Str(ref w, "name"u8, Name);
        if (Ttl is { } ttl) WireWriter.Num(ref w, "ttl"u8, ttl);
    }

    internal static LockRequestMessage Read(ref WireReader r)
    {
        string? requestId = null, name = null;
        long? ttl = null;
        var n = r.Payload();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("requestId"u8)) requestId = r.Str("requestId");
            else if (k.SequenceEqual("name"u8)) name = r.Str("name");
            else if (k.SequenceEqual("ttl"u8)) ttl = r.OptNonNegInt("ttl");
            else r.Skip();
        }
        return new LockRequestMessage(r.Required(requestId, "requestId"), r.Required(name, "name"), ttl);
    }
}

/// <summary>S→C: the lock is held, with a fencing token that grows forever per lock name.</summary>
public sealed record LockGrantedMessage(string RequestId, string Name, long FencingToken) : Message
{
    public override string Type => MessageTypes.LockGranted;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "LOCK_GRANTED"u8);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 3);
        WireWriter.Str(ref w, "requestId"u8, RequestId);
        WireWriter.Str(ref w, "name"u8, Name);
        WireWriter.Num(ref w, "fencingToken"u8, FencingToken);
    }

    internal static LockGrantedMessage Read(ref WireReader r)
    {
        string? requestId = null, name = null;
        long? token = null;
        var n = r.Payload();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("requestId"u8)) requestId = r.Str("requestId");
            else if (k.SequenceEqual("name"u8)) name = r.Str("name");
            else if (k.SequenceEqual("fencingToken"u8)) token = r.NonNegInt("fencingToken");
            else r.Skip();
        }
        return new LockGrantedMessage(r.Required(requestId, "requestId"), r.Required(name, "name"), r.Required(token, "fencingToken"));
    }
}

/// <summary>C→S: release a held lock.</summary>
public sealed record LockReleaseMessage(string Name, long FencingToken, string? RequestId = null) : Message
{
    public override string Type => MessageTypes.LockRelease;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "LOCK_RELEASE"u8);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 2 + WireWriter.Count(RequestId is not null));
        if (RequestId is not null) WireWriter.Str(ref w, "requestId"u8, RequestId);
        WireWriter.Str(ref w, "name"u8, Name);
        WireWriter.Num(ref w, "fencingToken"u8, FencingToken);
    }

    internal static LockReleaseMessage Read(ref WireReader r)
    {
        string? requestId = null, name = null;
        long? token = null;
        var n = r.Payload();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("requestId"u8)) requestId = r.OptStr("requestId");
            else if (k.SequenceEqual("name"u8)) name = r.Str("name");
            else if (k.SequenceEqual("fencingToken"u8)) token = r.NonNegInt("fencingToken");
            else r.Skip();
        }
        return new LockReleaseMessage(r.Required(name, "name"), r.Required(token, "fencingToken"), requestId);
    }
}

/// <summary>S→C: outcome of a LOCK_RELEASE.</summary>
public sealed record LockReleasedMessage(string RequestId, string Name, bool Success) : Message
{
    public override string Type => MessageTypes.LockReleased;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "LOCK_RELEASED"u8);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 3);
        WireWriter.Str(ref w, "requestId"u8, RequestId);
        WireWriter.Str(ref w, "name"u8, Name);
        WireWriter.Bool(ref w, "success"u8, Success);
    }

    internal static LockReleasedMessage Read(ref WireReader r)
    {
        string? requestId = null, name = null;
        bool? success = null;
        var n = r.Payload();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("requestId"u8)) requestId = r.Str("requestId");
            else if (k.SequenceEqual("name"u8)) name = r.Str("name");
            else if (k.SequenceEqual("success"u8)) success = r.Bool("success");
            else r.Skip();
        }
        return new LockReleasedMessage(r.Required(requestId, "requestId"), r.Required(name, "name"), r.Required(success, "success"));
    }
}
