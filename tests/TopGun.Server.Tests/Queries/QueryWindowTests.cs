using TopGun.Core.Clock;
using TopGun.Core.Protocol;
using TopGun.Core.Queries;
using TopGun.Core.Values;
using TopGun.Server.Queries;
using TopGun.Server.Security;

namespace TopGun.Server.Tests.Queries;

/// <summary>The live-query window rules on their own: pages and changes in, the frames to send out, no actors.</summary>
public sealed class QueryWindowTests
{
    private const long Now = 1_700_000_000_000;

    [Fact]
    public void A_key_enters_updates_and_leaves_an_unlimited_query()
    {
        var window = Window(Query(where: ("done", Value.False)));
        window.Open(Page());

        Assert.Equal([("k1", "UPDATE")], Frames(window.Offer("k1", Todo("milk", done: false), Ts(1))));
        var updated = Assert.Single(window.Offer("k1", Todo("oat milk", done: false), Ts(2)).Updates);
        Assert.Equal(("k1", "UPDATE", Todo("oat milk", done: false)), (updated.Key, updated.UpdateType, updated.Value));

        var left = Assert.Single(window.Offer("k1", Todo("oat milk", done: true), Ts(3)).Updates);
        Assert.Equal(("k1", "REMOVE"), (left.Key, left.UpdateType));
        Assert.True(left.Value.IsNull);
        Assert.Empty(window.Keys);
        Assert.Empty(window.Offer("k2", Todo("jam", done: true), Ts(4)).Updates);
        Assert.Empty(window.Offer("k3", null, Ts(5)).Updates);
    }

    [Fact]
    public void A_change_not_newer_than_the_held_member_is_ignored()
    {
        var window = Window(Query());
        window.Open(Page(Row("k1", Todo("milk"), Ts(5))));

        Assert.Empty(window.Offer("k1", Todo("stale"), Ts(5)).Updates);
        Assert.Empty(window.Offer("k1", null, Ts(4)).Updates);
        Assert.Equal([("k1", "UPDATE")], Frames(window.Offer("k1", Todo("fresh"), Ts(6))));
    }

    [Fact]
    public void A_member_leaving_a_limited_window_with_more_matches_asks_for_a_refill_and_the_next_record_enters()
    {
        var window = Window(Query(sort: "rank", limit: 2));
        window.Open(Page(hasMore: true, Row("a", Ranked(1), Ts(1)), Row("b", Ranked(2), Ts(1))));
        Assert.False(window.Complete);

        var leave = window.Offer("a", null, Ts(2));
        Assert.Equal([("a", "REMOVE")], Frames(leave));
        Assert.True(leave.NeedsRefill);

        var refill = window.Reconcile(Page(hasMore: false, Row("b", Ranked(2), Ts(1)), Row("c", Ranked(3), Ts(1))));
        Assert.Equal([("c", "UPDATE")], refill.Select(u => (u.Key, u.UpdateType)));
        Assert.Equal(["b", "c"], window.Keys.Order(StringComparer.Ordinal));
        Assert.True(window.Complete);

        // Nothing is left outside the window, so the next leave needs no refill.
        var last = window.Offer("b", null, Ts(3));
        Assert.Equal([("b", "REMOVE")], Frames(last));
        Assert.False(last.NeedsRefill);
    }

    [Fact]
    public void A_refill_removes_members_the_partitions_no_longer_hold_and_resends_only_changed_rows()
    {
        var window = Window(Query(sort: "rank", limit: 3));
        window.Open(Page(hasMore: true, Row("a", Ranked(1), Ts(1)), Row("b", Ranked(2), Ts(1)), Row("c", Ranked(3), Ts(1))));

        var refill = window.Reconcile(Page(hasMore: true, Row("a", Ranked(1), Ts(1)), Row("c", Ranked(3, "new"), Ts(2)), Row("d", Ranked(4), Ts(1))));

        Assert.Equal([("b", "REMOVE"), ("c", "UPDATE"), ("d", "UPDATE")], refill.Select(u => (u.Key, u.UpdateType)));
        Assert.False(window.Complete);
    }

    [Fact]
    public void A_better_record_entering_a_full_window_pushes_the_last_member_out_and_a_worse_one_stays_out()
    {
        var window = Window(Query(sort: "rank", limit: 2));
        window.Open(Page(Row("a", Ranked(1), Ts(1)), Row("c", Ranked(5), Ts(1))));
        Assert.True(window.Complete);

        var better = window.Offer("b", Ranked(3), Ts(2));
        Assert.Equal([("c", "REMOVE"), ("b", "UPDATE")], Frames(better));
        Assert.False(better.NeedsRefill);
        Assert.False(window.Complete);
        Assert.Equal(["a", "b"], window.Keys.Order(StringComparer.Ordinal));

        Assert.Empty(window.Offer("z", Ranked(9), Ts(3)).Updates);
        Assert.Equal(["a", "b"], window.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_member_moving_to_the_end_of_an_incomplete_window_asks_for_a_refill()
    {
        var window = Window(Query(sort: "rank", limit: 2));
        window.Open(Page(hasMore: true, Row("a", Ranked(1), Ts(1)), Row("b", Ranked(2), Ts(1))));

        var moved = window.Offer("a", Ranked(7), Ts(2));

        Assert.Equal([("a", "UPDATE")], Frames(moved));
        Assert.True(moved.NeedsRefill);
        Assert.False(window.Offer("b", Ranked(0), Ts(2)).NeedsRefill);
    }

    [Fact]
    public void A_cursor_page_ignores_records_before_the_cursor()
    {
        var spec = Query(sort: "rank", limit: 2);
        var cursorText = QueryCursor.Encode(spec, new QueryCandidate("b", Ranked(2), null), Now);
        var paged = spec.WithCursor(cursorText);
        Assert.Equal(CursorStatus.Valid, QueryCursor.TryDecode(cursorText, paged, Now, out var after));
        var window = new QueryWindow("q", paged, FieldFilter.AllFields, after);
        window.Open(Page(Row("c", Ranked(3), Ts(1))));

        Assert.Empty(window.Offer("a", Ranked(1), Ts(2)).Updates);
        Assert.Equal([("c", "REMOVE")], Frames(window.Offer("c", Ranked(0), Ts(2))));
        Assert.DoesNotContain("c", window.Keys);
        Assert.Equal([("d", "UPDATE")], Frames(window.Offer("d", Ranked(4), Ts(2))));
    }

    [Fact]
    public void A_refill_after_the_cursor_expired_sends_nothing_and_lets_the_window_only_shrink()
    {
        var spec = Query(sort: "rank", limit: 2);
        var cursorText = QueryCursor.Encode(spec, new QueryCandidate("a", Ranked(1), null), Now);
        QueryCursor.TryDecode(cursorText, spec.WithCursor(cursorText), Now, out var after);
        var window = new QueryWindow("q", spec.WithCursor(cursorText), FieldFilter.AllFields, after);
        window.Open(Page(hasMore: true, Row("b", Ranked(2), Ts(1)), Row("c", Ranked(3), Ts(1))));

        Assert.Empty(window.Reconcile(Page(hasMore: true, CursorStatus.Expired, Row("d", Ranked(4), Ts(1)))));

        Assert.True(window.Complete);
        Assert.Equal(["b", "c"], window.Keys.Order(StringComparer.Ordinal));
        Assert.False(window.Offer("b", null, Ts(2)).NeedsRefill);
    }

    [Fact]
    public void Every_value_sent_is_stripped_of_the_fields_the_client_may_not_read()
    {
        var window = new QueryWindow("q", Query(sort: "rank", limit: 2), FieldFilter.Of(["rank"]), null);

        var response = window.Open(Page(hasMore: true, Row("a", Secret(1), Ts(1)), Row("b", Secret(2), Ts(1))));
        Assert.All(response.Results.AsSpan().ToArray(), r => Assert.False(((MapValue)r.Value).TryGet("secret", out _)));
        Assert.Equal(Ranked(1), response.Results.AsSpan()[0].Value);

        var entered = window.Offer("c", Secret(0), Ts(2)).Updates.Single(u => u.UpdateType == "UPDATE");
        Assert.Equal(Ranked(0), entered.Value);
        var refilled = window.Reconcile(Page(Row("c", Secret(0), Ts(2)), Row("d", Secret(3), Ts(1))));
        Assert.Equal(Ranked(3), refilled.Single(u => u.Key == "d").Value);
    }

    private static QueryWindow Window(QuerySpec spec) => new("q", spec, FieldFilter.AllFields, null);

    private static QuerySpec Query((string Field, Value Value)? where = null, string? sort = null, int? limit = null)
    {
        var parts = new List<(string, Value)>();
        if (where is { } w) parts.Add(("where", Value.Map((w.Field, w.Value))));
        if (sort is not null) parts.Add(("sort", Value.Map((sort, Value.Of("asc")))));
        if (limit is not null) parts.Add(("limit", Value.Of(limit.Value)));
        return QuerySpec.Parse(Value.Map(parts.ToArray()));
    }

    private static QueryPage Page(params QueryCandidate[] rows) => Page(false, CursorStatus.None, rows);

    private static QueryPage Page(bool hasMore, params QueryCandidate[] rows) => Page(hasMore, CursorStatus.None, rows);

    private static QueryPage Page(bool hasMore, CursorStatus status, params QueryCandidate[] rows) =>
        new(rows, hasMore ? "next" : null, hasMore, status);

    private static QueryCandidate Row(string key, Value value, Timestamp timestamp) => new(key, value, timestamp);

    private static Timestamp Ts(long tick) => new(Now + tick, 0, "n");

    private static Value Todo(string title, bool done = false) => Value.Map(("title", Value.Of(title)), ("done", Value.Of(done)));

    private static Value Ranked(int rank, string? note = null) => note is null
        ? Value.Map(("rank", Value.Of(rank)))
        : Value.Map(("rank", Value.Of(rank)), ("note", Value.Of(note)));

    private static Value Secret(int rank) => Value.Map(("rank", Value.Of(rank)), ("secret", Value.Of("s" + rank)));

    private static IEnumerable<(string Key, string Type)> Frames(WindowChange change) => change.Updates.Select(u => (u.Key, u.UpdateType));
}
