using MessagePack;
using TopGun.Core.Clock;
using TopGun.Core.Values;

namespace TopGun.Core.Protocol;

/// <summary>C→S: subscribe to a live query; <see cref="Query"/> stays raw for the query module to interpret.</summary>
public sealed record QuerySubMessage(string QueryId, string MapName, Value Query) : Message
{
    public override string Type => MessageTypes.QuerySub;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "QUERY_SUB"u8);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 3);
        WireWriter.Str(ref w, "queryId"u8, QueryId);
        WireWriter.Str(ref w, "mapName"u8, MapName);
        WireWriter.Any(ref w, "query"u8, Query);
    }

    internal static QuerySubMessage Read(ref WireReader r)
    {
        string? queryId = null, mapName = null;
        Value? query = null;
        var n = r.Payload();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("queryId"u8)) queryId = r.Str("queryId");
            else if (k.SequenceEqual("mapName"u8)) mapName = r.Str("mapName");
            else if (k.SequenceEqual("query"u8))
            {
                query = r.Any("query");
                if (query is not MapValue) throw r.Fail("query", "expected object");
            }
            else r.Skip();
        }
        return new QuerySubMessage(r.Required(queryId, "queryId"), r.Required(mapName, "mapName"), r.Required(query, "query"));
    }
}

/// <summary>C→S: end a live query.</summary>
public sealed record QueryUnsubMessage(string QueryId) : Message
{
    public override string Type => MessageTypes.QueryUnsub;

    internal override void Write(ref MessagePackWriter w) => SingleField.Write(ref w, "QUERY_UNSUB"u8, "queryId"u8, QueryId);

    internal static QueryUnsubMessage Read(ref WireReader r) => new(SingleField.Read(ref r, "queryId"u8, "queryId"));
}

/// <summary>One row of a query result.</summary>
public sealed record QueryResultItem(string Key, Value Value, Timestamp? Timestamp = null)
{
    internal void Write(ref MessagePackWriter w)
    {
        WireWriter.Map(ref w, 2 + WireWriter.Count(Timestamp is not null));
        WireWriter.Str(ref w, "key"u8, Key);
        WireWriter.Any(ref w, "value"u8, Value);
        if (Timestamp is { } ts) WireWriter.Timestamp(ref w, "timestamp"u8, ts);
    }

    internal static QueryResultItem Read(ref WireReader r)
    {
        string? key = null;
        Value? value = null;
        Timestamp? ts = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("key"u8)) key = r.Str("key");
            else if (k.SequenceEqual("value"u8)) value = r.Any("value");
            else if (k.SequenceEqual("timestamp"u8)) ts = r.OptTimestamp("timestamp");
            else r.Skip();
        }
        return new QueryResultItem(r.Required(key, "key"), value ?? Value.Null, ts);
    }
}

/// <summary>S→C: a page of query results. <see cref="CursorStatus"/> is 'valid', 'expired', 'invalid' or 'none'.</summary>
public sealed record QueryRespMessage(
    string QueryId,
    WireList<QueryResultItem> Results,
    string? NextCursor = null,
    bool? HasMore = null,
    string? CursorStatus = null) : Message
{
    public override string Type => MessageTypes.QueryResp;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "QUERY_RESP"u8);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 2 + WireWriter.Count(NextCursor is not null) + WireWriter.Count(HasMore is not null) + WireWriter.Count(CursorStatus is not null));
        WireWriter.Str(ref w, "queryId"u8, QueryId);
        WireWriter.Key(ref w, "results"u8);
        w.WriteArrayHeader(Results.Count);
        foreach (var item in Results) item.Write(ref w);
        if (NextCursor is not null) WireWriter.Str(ref w, "nextCursor"u8, NextCursor);
        if (HasMore is { } more) WireWriter.Bool(ref w, "hasMore"u8, more);
        if (CursorStatus is not null) WireWriter.Str(ref w, "cursorStatus"u8, CursorStatus);
    }

    internal static QueryRespMessage Read(ref WireReader r)
    {
        string? queryId = null, nextCursor = null, cursorStatus = null;
        WireList<QueryResultItem>? results = null;
        bool? hasMore = null;
        var n = r.Payload();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("queryId"u8)) queryId = r.Str("queryId");
            else if (k.SequenceEqual("results"u8)) results = WireLists.Read(ref r, "results", QueryResultItem.Read);
            else if (k.SequenceEqual("nextCursor"u8)) nextCursor = r.OptStr("nextCursor");
            else if (k.SequenceEqual("hasMore"u8)) hasMore = r.OptBool("hasMore");
            else if (k.SequenceEqual("cursorStatus"u8)) cursorStatus = r.OptStr("cursorStatus");
            else r.Skip();
        }
        return new QueryRespMessage(r.Required(queryId, "queryId"), r.Required(results, "results"), nextCursor, hasMore, cursorStatus);
    }
}

/// <summary>S→C: one key entered/changed ('UPDATE') or left ('REMOVE', value null) a live query.</summary>
public sealed record QueryUpdateMessage(string QueryId, string Key, Value Value, string UpdateType) : Message
{
    public override string Type => MessageTypes.QueryUpdate;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "QUERY_UPDATE"u8);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 4);
        WireWriter.Str(ref w, "queryId"u8, QueryId);
        WireWriter.Str(ref w, "key"u8, Key);
        WireWriter.Any(ref w, "value"u8, Value);
        WireWriter.Str(ref w, "type"u8, UpdateType);
    }

    internal static QueryUpdateMessage Read(ref WireReader r)
    {
        string? queryId = null, key = null, type = null;
        Value? value = null;
        var n = r.Payload();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("queryId"u8)) queryId = r.Str("queryId");
            else if (k.SequenceEqual("key"u8)) key = r.Str("key");
            else if (k.SequenceEqual("value"u8)) value = r.Any("value");
            else if (k.SequenceEqual("type"u8)) type = r.Str("type");
            else r.Skip();
        }
        return new QueryUpdateMessage(r.Required(queryId, "queryId"), r.Required(key, "key"), value ?? Value.Null, r.Required(type, "type"));
    }
}

/// <summary>Messages whose payload is a single string field.</summary>
internal static class SingleField
{
    public static void Write(ref MessagePackWriter w, ReadOnlySpan<byte> type, ReadOnlySpan<byte> field, string value)
    {
        WireWriter.Begin(ref w, 2, type);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 1);
        WireWriter.Str(ref w, field, value);
    }

    public static string Read(ref WireReader r, ReadOnlySpan<byte> field, string fieldName)
    {
        string? value = null;
        var n = r.Payload();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual(field)) value = r.Str(fieldName);
            else r.Skip();
        }
        return r.Required(value, fieldName);
    }
}
