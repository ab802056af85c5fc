using MessagePack;
using TopGun.Core.Values;

namespace TopGun.Core.Protocol;

/// <summary>Full-text search options.</summary>
public sealed record SearchOptions(long? Limit = null, double? MinScore = null, WireMap<double>? Boost = null)
{
    internal void Write(ref MessagePackWriter w)
    {
        WireWriter.Map(ref w, WireWriter.Count(Limit is not null) + WireWriter.Count(MinScore is not null) + WireWriter.Count(Boost is not null));
        if (Limit is { } limit) WireWriter.Num(ref w, "limit"u8, limit);
        if (MinScore is { } min) WireWriter.Num(ref w, "minScore"u8, min);
        if (Boost is not null) WireWriter.NumberMap(ref w, "boost"u8, Boost);
    }

    internal static SearchOptions? ReadOrNull(ref WireReader r, string leaf)
    {
        if (r.TryReadNil()) return null;
        r.Enter(leaf);
        long? limit = null;
        double? minScore = null;
        WireMap<double>? boost = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("limit"u8)) limit = r.OptNonNegInt("limit");
            else if (k.SequenceEqual("minScore"u8)) minScore = r.OptNum("minScore");
            else if (k.SequenceEqual("boost"u8)) boost = r.TryReadNil() ? null : r.NumberMap("boost");
            else r.Skip();
        }
        r.Leave();
        return new SearchOptions(limit, minScore, boost);
    }
}

/// <summary>One search hit.</summary>
public sealed record SearchHit(string Key, Value Value, double Score, WireList<string> MatchedTerms)
{
    internal void Write(ref MessagePackWriter w)
    {
        WireWriter.Map(ref w, 4);
        WireWriter.Str(ref w, "key"u8, Key);
        WireWriter.Any(ref w, "value"u8, Value);
        WireWriter.Num(ref w, "score"u8, Score);
        WireWriter.StringList(ref w, "matchedTerms"u8, MatchedTerms);
    }

    internal static SearchHit Read(ref WireReader r)
    {
        string? key = null;
        Value? value = null;
        double? score = null;
        WireList<string>? terms = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("key"u8)) key = r.Str("key");
            else if (k.SequenceEqual("value"u8)) value = r.Any("value");
            else if (k.SequenceEqual("score"u8)) score = r.Num("score");
            else if (k.SequenceEqual("matchedTerms"u8)) terms = r.StringList("matchedTerms");
            else r.Skip();
        }
        return new SearchHit(r.Required(key, "key"), value ?? Value.Null, r.Required(score, "score"), terms ?? WireList<string>.Empty);
    }
}

/// <summary>C→S: a one-shot full-text search.</summary>
public sealed record SearchMessage(string RequestId, string MapName, string Query, SearchOptions? Options = null) : Message
{
    public override string Type => MessageTypes.Search;

    internal override void Write(ref MessagePackWriter w) => SearchShape.WriteRequest(ref w, "SEARCH"u8, "requestId"u8, RequestId, MapName, Query, Options);

    internal static SearchMessage Read(ref WireReader r)
    {
        SearchShape.ReadRequest(ref r, "requestId"u8, "requestId", out var id, out var mapName, out var query, out var options);
        return new SearchMessage(id, mapName, query, options);
    }
}

/// <summary>C→S: a live search; the snapshot arrives as SEARCH_RESP with requestId = subscriptionId.</summary>
public sealed record SearchSubMessage(string SubscriptionId, string MapName, string Query, SearchOptions? Options = null) : Message
{
    public override string Type => MessageTypes.SearchSub;

    internal override void Write(ref MessagePackWriter w) => SearchShape.WriteRequest(ref w, "SEARCH_SUB"u8, "subscriptionId"u8, SubscriptionId, MapName, Query, Options);

    internal static SearchSubMessage Read(ref WireReader r)
    {
        SearchShape.ReadRequest(ref r, "subscriptionId"u8, "subscriptionId", out var id, out var mapName, out var query, out var options);
        return new SearchSubMessage(id, mapName, query, options);
    }
}

/// <summary>S→C: search results.</summary>
public sealed record SearchRespMessage(string RequestId, WireList<SearchHit> Results, long TotalCount, string? Error = null) : Message
{
    public override string Type => MessageTypes.SearchResp;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "SEARCH_RESP"u8);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 3 + WireWriter.Count(Error is not null));
        WireWriter.Str(ref w, "requestId"u8, RequestId);
        WireWriter.Key(ref w, "results"u8);
        w.WriteArrayHeader(Results.Count);
        foreach (var hit in Results) hit.Write(ref w);
        WireWriter.Num(ref w, "totalCount"u8, TotalCount);
        if (Error is not null) WireWriter.Str(ref w, "error"u8, Error);
    }

    internal static SearchRespMessage Read(ref WireReader r)
    {
        string? requestId = null, error = null;
        WireList<SearchHit>? results = null;
        long? total = null;
        var n = r.Payload();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("requestId"u8)) requestId = r.Str("requestId");
            else if (k.SequenceEqual("results"u8)) results = WireLists.Read(ref r, "results", SearchHit.Read);
            else if (k.SequenceEqual("totalCount"u8)) total = r.NonNegInt("totalCount");
            else if (k.SequenceEqual("error"u8)) error = r.OptStr("error");
            else r.Skip();
        }
        return new SearchRespMessage(r.Required(requestId, "requestId"), r.Required(results, "results"), r.Required(total, "totalCount"), error);
    }
}

/// <summary>S→C: a key entered, changed or left a live search ('ENTER', 'UPDATE', 'LEAVE').</summary>
public sealed record SearchUpdateMessage(string SubscriptionId, string Key, Value Value, double Score, WireList<string> MatchedTerms, string UpdateType) : Message
{
    public override string Type => MessageTypes.SearchUpdate;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "SEARCH_UPDATE"u8);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 6);
        WireWriter.Str(ref w, "subscriptionId"u8, SubscriptionId);
        WireWriter.Str(ref w, "key"u8, Key);
        WireWriter.Any(ref w, "value"u8, Value);
        WireWriter.Num(ref w, "score"u8, Score);
        WireWriter.StringList(ref w, "matchedTerms"u8, MatchedTerms);
        WireWriter.Str(ref w, "type"u8, UpdateType);
    }

    internal static SearchUpdateMessage Read(ref WireReader r)
    {
        string? id = null, key = null, type = null;
        Value? value = null;
        double? score = null;
        WireList<string>? terms = null;
        var n = r.Payload();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("subscriptionId"u8)) id = r.Str("subscriptionId");
            else if (k.SequenceEqual("key"u8)) key = r.Str("key");
            else if (k.SequenceEqual("value"u8)) value = r.Any("value");
            else if (k.SequenceEqual("score"u8)) score = r.Num("score");
            else if (k.SequenceEqual("matchedTerms"u8)) terms = r.StringList("matchedTerms");
            else if (k.SequenceEqual("type"u8)) type = r.Str("type");
            else r.Skip();
        }
        return new SearchUpdateMessage(r.Required(id, "subscriptionId"), r.Required(key, "key"), value ?? Value.Null,
            r.Required(score, "score"), terms ?? WireList<string>.Empty, r.Required(type, "type"));
    }
}

/// <summary>C→S: end a live search.</summary>
public sealed record SearchUnsubMessage(string SubscriptionId) : Message
{
    public override string Type => MessageTypes.SearchUnsub;

    internal override void Write(ref MessagePackWriter w) => SingleField.Write(ref w, "SEARCH_UNSUB"u8, "subscriptionId"u8, SubscriptionId);

    internal static SearchUnsubMessage Read(ref WireReader r) => new(SingleField.Read(ref r, "subscriptionId"u8, "subscriptionId"));
}

/// <summary>Payload shape shared by SEARCH and SEARCH_SUB.</summary>
internal static class SearchShape
{
    public static void WriteRequest(ref MessagePackWriter w, ReadOnlySpan<byte> type, ReadOnlySpan<byte> idField, string id, string mapName, string query, SearchOptions? options)
    {
        WireWriter.Begin(ref w, 2, type);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 3 + WireWriter.Count(options is not null));
        WireWriter.Str(ref w, idField, id);
        WireWriter.Str(ref w, "mapName"u8, mapName);
        WireWriter.Str(ref w, "query"u8, query);
        if (options is null) return;
        WireWriter.Key(ref w, "options"u8);
        options.Write(ref w);
    }

    public static void ReadRequest(ref WireReader r, ReadOnlySpan<byte> idField, string idName, out string id, out string mapName, out string query, out SearchOptions? options)
    {
        string? i0 = null, m0 = null, q0 = null;
        SearchOptions? o0 = null;
        var n = r.Payload();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual(idField)) i0 = r.Str(idName);
            else if (k.SequenceEqual("mapName"u8)) m0 = r.Str("mapName");
            else if (k.SequenceEqual("query"u8)) q0 = r.Str("query");
            else if (k.SequenceEqual("options"u8)) o0 = SearchOptions.ReadOrNull(ref r, "options");
            else r.Skip();
        }
        id = r.Required(i0, idName);
        mapName = r.Required(m0, "mapName");
        query = r.Required(q0, "query");
        options = o0;
    }
}
