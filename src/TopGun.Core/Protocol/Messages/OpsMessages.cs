using MessagePack;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Values;

namespace TopGun.Core.Protocol;

/// <summary>
/// One client write. <see cref="OpType"/> is 'PUT', 'REMOVE', 'OR_ADD' or 'OR_REMOVE'; absent or any
/// other value means an LWW put. A null <see cref="Record"/> is the protocol's <c>record: null</c>.
/// </summary>
public sealed record ClientOp(
    string MapName,
    string Key,
    string? Id = null,
    string? OpType = null,
    LwwRecord? Record = null,
    OrMapRecord? OrRecord = null,
    string? OrTag = null,
    WriteConcern? WriteConcern = null,
    long? Timeout = null)
{
    internal void Write(ref MessagePackWriter w)
    {
        WireWriter.Map(ref w, 2 + WireWriter.Count(Id is not null) + WireWriter.Count(OpType is not null)
            + WireWriter.Count(Record is not null) + WireWriter.Count(OrRecord is not null) + WireWriter.Count(OrTag is not null)
            + WireWriter.Count(WriteConcern is not null) + WireWriter.Count(Timeout is not null));
        if (Id is not null) WireWriter.Str(ref w, "id"u8, Id);
        WireWriter.Str(ref w, "mapName"u8, MapName);
        WireWriter.Str(ref w, "key"u8, Key);
        if (OpType is not null) WireWriter.Str(ref w, "opType"u8, OpType);
        if (Record is not null) WireWriter.Lww(ref w, "record"u8, Record);
        if (OrRecord is not null) WireWriter.OrRecord(ref w, "orRecord"u8, OrRecord);
        if (OrTag is not null) WireWriter.Str(ref w, "orTag"u8, OrTag);
        if (WriteConcern is { } wc) WireWriter.Concern(ref w, "writeConcern"u8, wc);
        if (Timeout is { } t) WireWriter.Num(ref w, "timeout"u8, t);
    }

    internal static ClientOp Read(ref WireReader r)
    {
        string? id = null, mapName = null, key = null, opType = null, orTag = null;
        LwwRecord? record = null;
        OrMapRecord? orRecord = null;
        WriteConcern? wc = null;
        long? timeout = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("mapName"u8)) mapName = r.Str("mapName");
            else if (k.SequenceEqual("key"u8)) key = r.Str("key");
            else if (k.SequenceEqual("record"u8)) record = r.LwwRecordOrNull("record");
            else if (k.SequenceEqual("id"u8)) id = r.OptStr("id");
            else if (k.SequenceEqual("opType"u8)) opType = r.OptStr("opType");
            else if (k.SequenceEqual("orRecord"u8)) orRecord = r.OrRecordOrNull("orRecord");
            else if (k.SequenceEqual("orTag"u8)) orTag = r.OptStr("orTag");
            else if (k.SequenceEqual("writeConcern"u8)) wc = r.OptConcern("writeConcern");
            else if (k.SequenceEqual("timeout"u8)) timeout = r.OptNonNegInt("timeout");
            else r.Skip();
        }
        return new ClientOp(r.Required(mapName, "mapName"), r.Required(key, "key"), id, opType, record, orRecord, orTag, wc, timeout);
    }
}

/// <summary>C→S: a single write.</summary>
public sealed record ClientOpMessage(ClientOp Op) : Message
{
    public override string Type => MessageTypes.ClientOp;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "CLIENT_OP"u8);
        WireWriter.Key(ref w, "payload"u8);
        Op.Write(ref w);
    }

    internal static ClientOpMessage Read(ref WireReader r)
    {
        if (!r.SeekPayload()) throw r.Fail("payload", "required");
        return new ClientOpMessage(ClientOp.Read(ref r));
    }
}

/// <summary>C→S: several writes; the batch's write concern applies to ops without their own.</summary>
public sealed record OpBatchMessage(WireList<ClientOp> Ops, WriteConcern? WriteConcern = null, long? Timeout = null) : Message
{
    public override string Type => MessageTypes.OpBatch;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "OP_BATCH"u8);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 1 + WireWriter.Count(WriteConcern is not null) + WireWriter.Count(Timeout is not null));
        WireWriter.Key(ref w, "ops"u8);
        w.WriteArrayHeader(Ops.Count);
        foreach (var op in Ops) op.Write(ref w);
        if (WriteConcern is { } wc) WireWriter.Concern(ref w, "writeConcern"u8, wc);
        if (Timeout is { } t) WireWriter.Num(ref w, "timeout"u8, t);
    }

    internal static OpBatchMessage Read(ref WireReader r)
    {
        WireList<ClientOp>? ops = null;
        WriteConcern? wc = null;
        long? timeout = null;
        var n = r.Payload();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("ops"u8))
            {
                r.Enter("ops");
                var count = r.ArrayHeader();
                var items = count == 0 ? [] : new ClientOp[count];
                for (var j = 0; j < count; j++)
                {
                    r.Enter(j);
                    items[j] = ClientOp.Read(ref r);
                    r.Leave();
                }
                r.Leave();
                ops = new WireList<ClientOp>(items);
            }
            else if (k.SequenceEqual("writeConcern"u8)) wc = r.OptConcern("writeConcern");
            else if (k.SequenceEqual("timeout"u8)) timeout = r.OptNonNegInt("timeout");
            else r.Skip();
        }
        return new OpBatchMessage(r.Required(ops, "ops"), wc, timeout);
    }
}

/// <summary>Per-op outcome inside OP_ACK.</summary>
public sealed record OpResult(string OpId, bool Success, WriteConcern AchievedLevel, string? Error = null)
{
    internal void Write(ref MessagePackWriter w)
    {
        WireWriter.Map(ref w, 3 + WireWriter.Count(Error is not null));
        WireWriter.Str(ref w, "opId"u8, OpId);
        WireWriter.Bool(ref w, "success"u8, Success);
        WireWriter.Concern(ref w, "achievedLevel"u8, AchievedLevel);
        if (Error is not null) WireWriter.Str(ref w, "error"u8, Error);
    }

    internal static OpResult Read(ref WireReader r)
    {
        string? opId = null, error = null;
        bool? success = null;
        WriteConcern? level = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("opId"u8)) opId = r.Str("opId");
            else if (k.SequenceEqual("success"u8)) success = r.Bool("success");
            else if (k.SequenceEqual("achievedLevel"u8)) level = r.Concern("achievedLevel");
            else if (k.SequenceEqual("error"u8)) error = r.OptStr("error");
            else r.Skip();
        }
        return new OpResult(r.Required(opId, "opId"), r.Required(success, "success"), r.Required(level, "achievedLevel"), error);
    }
}

/// <summary>S→C: every op up to <see cref="LastId"/> is acknowledged.</summary>
public sealed record OpAckMessage(string LastId, WriteConcern? AchievedLevel = null, WireList<OpResult>? Results = null) : Message
{
    public override string Type => MessageTypes.OpAck;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "OP_ACK"u8);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 1 + WireWriter.Count(AchievedLevel is not null) + WireWriter.Count(Results is not null));
        WireWriter.Str(ref w, "lastId"u8, LastId);
        if (AchievedLevel is { } level) WireWriter.Concern(ref w, "achievedLevel"u8, level);
        if (Results is not null)
        {
            WireWriter.Key(ref w, "results"u8);
            w.WriteArrayHeader(Results.Count);
            foreach (var result in Results) result.Write(ref w);
        }
    }

    internal static OpAckMessage Read(ref WireReader r)
    {
        string? lastId = null;
        WriteConcern? level = null;
        WireList<OpResult>? results = null;
        var n = r.Payload();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("lastId"u8)) lastId = r.Str("lastId");
            else if (k.SequenceEqual("achievedLevel"u8)) level = r.OptConcern("achievedLevel");
            else if (k.SequenceEqual("results"u8)) results = r.TryReadNil() ? null : WireLists.Read(ref r, "results", OpResult.Read);
            else r.Skip();
        }
        return new OpAckMessage(r.Required(lastId, "lastId"), level, results);
    }
}

/// <summary>S→C: a single op was refused.</summary>
public sealed record OpRejectedMessage(string OpId, string Reason, int? Code = null) : Message
{
    public override string Type => MessageTypes.OpRejected;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "OP_REJECTED"u8);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 2 + WireWriter.Count(Code is not null));
        WireWriter.Str(ref w, "opId"u8, OpId);
        WireWriter.Str(ref w, "reason"u8, Reason);
        if (Code is { } code) WireWriter.Num(ref w, "code"u8, code);
    }

    internal static OpRejectedMessage Read(ref WireReader r)
    {
        string? opId = null, reason = null;
        int? code = null;
        var n = r.Payload();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("opId"u8)) opId = r.Str("opId");
            else if (k.SequenceEqual("reason"u8)) reason = r.Str("reason");
            else if (k.SequenceEqual("code"u8)) code = r.TryReadNil() ? null : r.Int32("code");
            else r.Skip();
        }
        return new OpRejectedMessage(r.Required(opId, "opId"), r.Required(reason, "reason"), code);
    }
}

/// <summary>One change pushed to subscribers; <see cref="EventType"/> is 'UPDATED', 'OR_ADD' or 'OR_REMOVE'.</summary>
public sealed record ServerEventPayload(
    string MapName,
    string Key,
    string EventType,
    LwwRecord? Record = null,
    OrMapRecord? OrRecord = null,
    string? OrTag = null)
{
    internal void Write(ref MessagePackWriter w)
    {
        WireWriter.Map(ref w, 3 + WireWriter.Count(Record is not null) + WireWriter.Count(OrRecord is not null) + WireWriter.Count(OrTag is not null));
        WireWriter.Str(ref w, "mapName"u8, MapName);
        WireWriter.Str(ref w, "key"u8, Key);
        WireWriter.Str(ref w, "eventType"u8, EventType);
        if (Record is not null) WireWriter.Lww(ref w, "record"u8, Record);
        if (OrRecord is not null) WireWriter.OrRecord(ref w, "orRecord"u8, OrRecord);
        if (OrTag is not null) WireWriter.Str(ref w, "orTag"u8, OrTag);
    }

    internal static ServerEventPayload Read(ref WireReader r)
    {
        string? mapName = null, key = null, eventType = null, orTag = null;
        LwwRecord? record = null;
        OrMapRecord? orRecord = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("mapName"u8)) mapName = r.Str("mapName");
            else if (k.SequenceEqual("key"u8)) key = r.Str("key");
            else if (k.SequenceEqual("eventType"u8)) eventType = r.Str("eventType");
            else if (k.SequenceEqual("record"u8)) record = r.LwwRecordOrNull("record");
            else if (k.SequenceEqual("orRecord"u8)) orRecord = r.OrRecordOrNull("orRecord");
            else if (k.SequenceEqual("orTag"u8)) orTag = r.OptStr("orTag");
            else r.Skip();
        }
        return new ServerEventPayload(r.Required(mapName, "mapName"), r.Required(key, "key"), r.Required(eventType, "eventType"), record, orRecord, orTag);
    }
}

/// <summary>S→C: one change to a map the client subscribes to, with the server's HLC time.</summary>
public sealed record ServerEventMessage(ServerEventPayload Payload, Timestamp Timestamp) : Message
{
    public override string Type => MessageTypes.ServerEvent;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 3, "SERVER_EVENT"u8);
        WireWriter.Key(ref w, "payload"u8);
        Payload.Write(ref w);
        WireWriter.Timestamp(ref w, "timestamp"u8, Timestamp);
    }

    internal static ServerEventMessage Read(ref WireReader r)
    {
        ServerEventPayload? payload = null;
        Timestamp? ts = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("payload"u8))
            {
                r.Enter("payload");
                payload = ServerEventPayload.Read(ref r);
                r.Leave();
            }
            else if (k.SequenceEqual("timestamp"u8)) ts = r.Timestamp("timestamp");
            else r.Skip();
        }
        return new ServerEventMessage(r.Required(payload, "payload"), r.Required(ts, "timestamp"));
    }
}

/// <summary>S→C: several changes at once.</summary>
public sealed record ServerBatchEventMessage(WireList<ServerEventPayload> Events, Timestamp Timestamp) : Message
{
    public override string Type => MessageTypes.ServerBatchEvent;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 3, "SERVER_BATCH_EVENT"u8);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 1);
        WireWriter.Key(ref w, "events"u8);
        w.WriteArrayHeader(Events.Count);
        foreach (var e in Events) e.Write(ref w);
        WireWriter.Timestamp(ref w, "timestamp"u8, Timestamp);
    }

    internal static ServerBatchEventMessage Read(ref WireReader r)
    {
        WireList<ServerEventPayload>? events = null;
        Timestamp? ts = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("payload"u8))
            {
                r.Enter("payload");
                var m = r.MapHeader();
                for (var j = 0; j < m; j++)
                {
                    var pk = r.Key();
                    if (r.SkipUndefined()) continue;
                    if (pk.SequenceEqual("events"u8)) events = WireLists.Read(ref r, "events", ServerEventPayload.Read);
                    else r.Skip();
                }
                events = r.Required(events, "events");
                r.Leave();
            }
            else if (k.SequenceEqual("timestamp"u8)) ts = r.Timestamp("timestamp");
            else r.Skip();
        }
        return new ServerBatchEventMessage(r.Required(events, "payload"), r.Required(ts, "timestamp"));
    }
}

/// <summary>S→C: a conflict resolver refused a write.</summary>
public sealed record MergeRejectedMessage(string MapName, string Key, Value AttemptedValue, string Reason, Timestamp Timestamp) : Message
{
    public override string Type => MessageTypes.MergeRejected;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 6, "MERGE_REJECTED"u8);
        WireWriter.Str(ref w, "mapName"u8, MapName);
        WireWriter.Str(ref w, "key"u8, Key);
        WireWriter.Any(ref w, "attemptedValue"u8, AttemptedValue);
        WireWriter.Str(ref w, "reason"u8, Reason);
        WireWriter.Timestamp(ref w, "timestamp"u8, Timestamp);
    }

    internal static MergeRejectedMessage Read(ref WireReader r)
    {
        string? mapName = null, key = null, reason = null;
        Value? attempted = null;
        Timestamp? ts = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("mapName"u8)) mapName = r.Str("mapName");
            else if (k.SequenceEqual("key"u8)) key = r.Str("key");
            else if (k.SequenceEqual("attemptedValue"u8)) attempted = r.Any("attemptedValue");
            else if (k.SequenceEqual("reason"u8)) reason = r.Str("reason");
            else if (k.SequenceEqual("timestamp"u8)) ts = r.Timestamp("timestamp");
            else r.Skip();
        }
        return new MergeRejectedMessage(r.Required(mapName, "mapName"), r.Required(key, "key"), attempted ?? Value.Null, r.Required(reason, "reason"), r.Required(ts, "timestamp"));
    }
}
