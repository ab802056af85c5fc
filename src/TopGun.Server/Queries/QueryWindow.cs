using TopGun.Core.Clock;
using TopGun.Core.Protocol;
using TopGun.Core.Queries;
using TopGun.Core.Values;
using TopGun.Server.Security;

namespace TopGun.Server.Queries;

/// <summary>
/// What one client holds of one live query, and the rules that keep it right: per-key enter / update /
/// leave, and for a limited query its window (a better-ranked record entering a full window pushes the
/// last member out; a member leaving a window with records outside it asks for a refill). Pure: it takes
/// pages and changes and returns the frames to send, with the client's field filter applied; the
/// <see cref="LiveQuerySession"/> does the gathering and sending.
/// </summary>
internal sealed class QueryWindow
{
    private static readonly IReadOnlyList<QueryUpdateMessage> NoUpdates = [];

    private readonly SortedSet<Member>? _order;
    private readonly Dictionary<string, Member> _members = new(StringComparer.Ordinal);

    public QueryWindow(string queryId, QuerySpec spec, FieldFilter fields, QueryCursor? after)
    {
        QueryId = queryId;
        Spec = spec;
        Fields = fields;
        After = after;
        if (spec.Limit is not null)
            _order = new SortedSet<Member>(Comparer<Member>.Create((a, b) => spec.Comparer.Compare(a.Key, a.Value, b.Key, b.Value)));
    }

    public string QueryId { get; }

    public QuerySpec Spec { get; }

    /// <summary>The fields the client may read; applied to every value this window sends.</summary>
    public FieldFilter Fields { get; }

    /// <summary>Position of the client's cursor: only records after it belong to this page.</summary>
    public QueryCursor? After { get; }

    public bool IsLimited => _order is not null;

    /// <summary>False while matches may exist outside a limited window; then a leaving member asks for a refill.</summary>
    public bool Complete { get; private set; } = true;

    /// <summary>The keys the client holds: bounded by the query's limit, or by what an unlimited query matched.</summary>
    public IReadOnlyCollection<string> Keys => _members.Keys;

    /// <summary>The first page, as the client's QUERY_RESP; the window then holds its rows.</summary>
    public QueryRespMessage Open(QueryPage page)
    {
        var response = new QueryRespMessage(
            QueryId,
            page.Results.Select(c => new QueryResultItem(c.Key, Fields.Apply(c.Value), c.Timestamp)).ToArray(),
            page.NextCursor,
            page.HasMore,
            page.CursorStatus.ToWireName());
        foreach (var row in page.Results) Add(row.Key, row.Value, row.Timestamp);
        Complete = !page.HasMore;
        return response;
    }

    /// <summary>
    /// Reconciles the window with a page asked for again (a refill): members missing from it leave, rows
    /// that are new or changed enter, so the next record fills a freed place and anything the feed missed
    /// is fixed. When the client's cursor has expired its page can no longer be asked for, so the window
    /// only shrinks from then on.
    /// </summary>
    public IReadOnlyList<QueryUpdateMessage> Reconcile(QueryPage page)
    {
        if (After is not null && page.CursorStatus != CursorStatus.Valid)
        {
            Complete = true;
            return NoUpdates;
        }
        var updates = new List<QueryUpdateMessage>();
        var fresh = page.Results.ToDictionary(r => r.Key, StringComparer.Ordinal);
        foreach (var member in _members.Values.ToArray())
        {
            if (fresh.ContainsKey(member.Key)) continue;
            Remove(member.Key);
            updates.Add(Leave(member.Key));
        }
        foreach (var row in page.Results)
        {
            var unchanged = _members.TryGetValue(row.Key, out var known) && known.Value.Equals(row.Value);
            Add(row.Key, row.Value, row.Timestamp);
            if (!unchanged) updates.Add(Enter(row.Key, row.Value));
        }
        Complete = !page.HasMore;
        return updates;
    }

    /// <summary>
    /// One key changed: <paramref name="value"/> is its live value, or null when the key is gone;
    /// <paramref name="timestamp"/> is null when the change carries none (an OR entry read back).
    /// </summary>
    public WindowChange Offer(string key, Value? value, Timestamp? timestamp)
    {
        var known = _members.GetValueOrDefault(key);
        // The feed and a page reply travel separately; a change older than what the window holds is stale.
        if (known is { Timestamp: { } held } && timestamp is { } incoming && incoming <= held) return WindowChange.None;

        var matches = value is not null && Spec.Matches(key, value)
            && (After is null || After.IsAfterCursor(new QueryCandidate(key, value, timestamp)));
        if (!matches)
        {
            if (known is null) return WindowChange.None;
            Remove(key);
            return new WindowChange([Leave(key)], NeedsRefill: IsLimited && !Complete);
        }

        var updates = new List<QueryUpdateMessage>(2);
        if (known is null && IsLimited && _members.Count >= Spec.Limit)
        {
            var last = _order!.Max!;
            Complete = false;
            if (Spec.Comparer.Compare(key, value!, last.Key, last.Value) >= 0) return WindowChange.None;
            Remove(last.Key);
            updates.Add(Leave(last.Key));
        }
        Add(key, value!, timestamp);
        updates.Add(Enter(key, value!));
        // A member that moved to the end of a window may now rank below a record outside it.
        return new WindowChange(updates, NeedsRefill: known is not null && IsLimited && !Complete && _order!.Max?.Key == key);
    }

    private QueryUpdateMessage Enter(string key, Value value) => new(QueryId, key, Fields.Apply(value), "UPDATE");

    private QueryUpdateMessage Leave(string key) => new(QueryId, key, Value.Null, "REMOVE");

    private void Add(string key, Value value, Timestamp? timestamp)
    {
        Remove(key);
        var member = new Member(key, value, timestamp);
        _members[key] = member;
        _order?.Add(member);
    }

    private void Remove(string key)
    {
        if (_members.Remove(key, out var member)) _order?.Remove(member);
    }

    private sealed record Member(string Key, Value Value, Timestamp? Timestamp);
}
