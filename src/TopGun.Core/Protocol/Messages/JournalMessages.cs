using MessagePack;
using TopGun.Core.Clock;
using TopGun.Core.Values;

namespace TopGun.Core.Protocol;

/// <summary>One journaled change; <see cref="EventType"/> is 'PUT', 'UPDATE' or 'DELETE', <see cref="Sequence"/> a decimal string.</summary>
public sealed record JournalEventData(
    string Sequence,
    string EventType,
    string MapName,
    string Key,
    Timestamp Timestamp,
    string NodeId,
    Value? Value = null,
    Value? PreviousValue = null,
    Value? Metadata = null)
{
    internal void Write(ref MessagePackWriter w)
    {
        WireWriter.Map(ref w, 6 + WireWriter.Count(Value is not null) + WireWriter.Count(PreviousValue is not null) + WireWriter.Count(Metadata is not null));
        WireWriter.Str(ref w, "sequence"u8, Sequence);
        WireWriter.Str(ref w, "type"u8, EventType);
        WireWriter.Str(ref w, "mapName"u8, MapName);
        WireWriter.Str(ref w, "key"u8, Key);
        if (Value is not null) WireWriter.Any(ref w, "value"u8, Value);
        if (PreviousValue is not null) WireWriter.Any(ref w, "previousValue"u8, PreviousValue);
        WireWriter.Timestamp(ref w, "timestamp"u8, Timestamp);
        WireWriter.Str(ref w, "nodeId"u8, NodeId);
        if (Metadata is not null) WireWriter.Any(ref w, "metadata"u8, Metadata);
    }

    internal static JournalEventData Read(ref WireReader r)
    {
        string? sequence = null, type = null, mapName = null, key = null, nodeId = null;
        Value? value = null, previous = null, metadata = null;
        Timestamp? ts = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("sequence"u8)) sequence = r.Str("sequence");
            else if (k.SequenceEqual("type"u8)) type = r.Str("type");
            else if (k.SequenceEqual("mapName"u8)) mapName = r.Str("mapName");
            else if (k.SequenceEqual("key"u8)) key = r.Str("key");
            else if (k.SequenceEqual("value"u8)) value = r.Any("value");
            else if (k.SequenceEqual("previousValue"u8)) previous = r.Any("previousValue");
            else if (k.SequenceEqual("timestamp"u8)) ts = r.Timestamp("timestamp");
            else if (k.SequenceEqual("nodeId"u8)) nodeId = r.Str("nodeId");
            else if (k.SequenceEqual("metadata"u8)) metadata = r.Any("metadata");
            else r.Skip();
        }
        return new JournalEventData(r.Required(sequence, "sequence"), r.Required(type, "type"), r.Required(mapName, "mapName"),
            r.Required(key, "key"), r.Required(ts, "timestamp"), r.Required(nodeId, "nodeId"), value, previous, metadata);
    }
}

/// <summary>C→S: stream journal events, optionally from a sequence, for one map, of some types.</summary>
public sealed record JournalSubscribeMessage(string RequestId, string? FromSequence = null, string? MapName = null, WireList<string>? Types = null) : Message
{
    public override string Type => MessageTypes.JournalSubscribe;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2 + WireWriter.Count(FromSequence is not null) + WireWriter.Count(MapName is not null) + WireWriter.Count(Types is not null), "JOURNAL_SUBSCRIBE"u8);
        WireWriter.Str(ref w, "requestId"u8, RequestId);
        if (FromSequence is not null) WireWriter.Str(ref w, "fromSequence"u8, FromSequence);
        if (MapName is not null) WireWriter.Str(ref w, "mapName"u8, MapName);
        if (Types is not null) WireWriter.StringList(ref w, "types"u8, Types);
    }

    internal static JournalSubscribeMessage Read(ref WireReader r)
    {
        string? requestId = null, from = null, mapName = null;
        WireList<string>? types = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("requestId"u8)) requestId = r.Str("requestId");
            else if (k.SequenceEqual("fromSequence"u8)) from = r.OptStr("fromSequence");
            else if (k.SequenceEqual("mapName"u8)) mapName = r.OptStr("mapName");
            else if (k.SequenceEqual("types"u8)) types = r.TryReadNil() ? null : r.StringList("types");
            else r.Skip();
        }
        return new JournalSubscribeMessage(r.Required(requestId, "requestId"), from, mapName, types);
    }
}

/// <summary>C→S: stop a journal subscription.</summary>
public sealed record JournalUnsubscribeMessage(string SubscriptionId) : Message
{
    public override string Type => MessageTypes.JournalUnsubscribe;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "JOURNAL_UNSUBSCRIBE"u8);
        WireWriter.Str(ref w, "subscriptionId"u8, SubscriptionId);
    }

    internal static JournalUnsubscribeMessage Read(ref WireReader r)
    {
        string? id = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("subscriptionId"u8)) id = r.Str("subscriptionId");
            else r.Skip();
        }
        return new JournalUnsubscribeMessage(r.Required(id, "subscriptionId"));
    }
}

/// <summary>S→C: one journal event of a subscription.</summary>
public sealed record JournalEventMessage(JournalEventData Event) : Message
{
    public override string Type => MessageTypes.JournalEvent;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "JOURNAL_EVENT"u8);
        WireWriter.Key(ref w, "event"u8);
        Event.Write(ref w);
    }

    internal static JournalEventMessage Read(ref WireReader r)
    {
        JournalEventData? data = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("event"u8))
            {
                r.Enter("event");
                data = JournalEventData.Read(ref r);
                r.Leave();
            }
            else r.Skip();
        }
        return new JournalEventMessage(r.Required(data, "event"));
    }
}

/// <summary>C→S: read a page of the journal.</summary>
public sealed record JournalReadMessage(string RequestId, string FromSequence, long? Limit = null, string? MapName = null) : Message
{
    public override string Type => MessageTypes.JournalRead;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 3 + WireWriter.Count(Limit is not null) + WireWriter.Count(MapName is not null), "JOURNAL_READ"u8);
        WireWriter.Str(ref w, "requestId"u8, RequestId);
        WireWriter.Str(ref w, "fromSequence"u8, FromSequence);
        if (Limit is { } limit) WireWriter.Num(ref w, "limit"u8, limit);
        if (MapName is not null) WireWriter.Str(ref w, "mapName"u8, MapName);
    }

    internal static JournalReadMessage Read(ref WireReader r)
    {
        string? requestId = null, from = null, mapName = null;
        long? limit = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("requestId"u8)) requestId = r.Str("requestId");
            else if (k.SequenceEqual("fromSequence"u8)) from = r.Str("fromSequence");
            else if (k.SequenceEqual("limit"u8)) limit = r.OptNonNegInt("limit");
            else if (k.SequenceEqual("mapName"u8)) mapName = r.OptStr("mapName");
            else r.Skip();
        }
        return new JournalReadMessage(r.Required(requestId, "requestId"), r.Required(from, "fromSequence"), limit, mapName);
    }
}

/// <summary>S→C: a page of journal events.</summary>
public sealed record JournalReadResponseMessage(string RequestId, WireList<JournalEventData> Events, bool HasMore) : Message
{
    public override string Type => MessageTypes.JournalReadResponse;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 4, "JOURNAL_READ_RESPONSE"u8);
        WireWriter.Str(ref w, "requestId"u8, RequestId);
        WireWriter.Key(ref w, "events"u8);
        w.WriteArrayHeader(Events.Count);
        foreach (var e in Events) e.Write(ref w);
        WireWriter.Bool(ref w, "hasMore"u8, HasMore);
    }

    internal static JournalReadResponseMessage Read(ref WireReader r)
    {
        string? requestId = null;
        WireList<JournalEventData>? events = null;
        bool? hasMore = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("requestId"u8)) requestId = r.Str("requestId");
            else if (k.SequenceEqual("events"u8)) events = WireLists.Read(ref r, "events", JournalEventData.Read);
            else if (k.SequenceEqual("hasMore"u8)) hasMore = r.Bool("hasMore");
            else r.Skip();
        }
        return new JournalReadResponseMessage(r.Required(requestId, "requestId"), r.Required(events, "events"), r.Required(hasMore, "hasMore"));
    }
}
