using TopGun.Core.Clock;
using TopGun.Core.Queries;
using TopGun.Core.Values;
using static TopGun.Core.Tests.Queries.QueryValues;

namespace TopGun.Core.Tests.Queries;

public sealed class QueryPagingTests
{
    private const long Now = 1_700_000_000_000;

    // Eight players; scores tie so that paging has to use the key tie-break across page boundaries.
    private static readonly QueryCandidate[] Players =
    [
        Player("p1", 50, "red"), Player("p2", 70, "blue"), Player("p3", 50, "blue"), Player("p4", 90, "red"),
        Player("p5", 70, "red"), Player("p6", 10, "blue"), Player("p7", 50, "red"), Player("p8", 30, "red"),
    ];

    private static QueryCandidate Player(string key, double score, string team) =>
        new(key, Record(("score", score), ("team", team)), new Timestamp(1000, 0, "node-a"));

    private static QuerySpec ScoreDesc(int? limit, Value? predicate = null)
    {
        var entries = new List<(string, Value)> { ("sort", Record(("score", "desc"))) };
        if (limit is not null) entries.Add(("limit", limit.Value));
        if (predicate is not null) entries.Add(("predicate", predicate));
        return Spec(Value.Map(entries.ToArray()));
    }

    private static string[] KeysOf(QueryPage page) => page.Results.Select(r => r.Key).ToArray();

    [Fact]
    public void Without_limit_everything_comes_in_one_page_without_cursor()
    {
        var page = QueryExecutor.Execute(Players, ScoreDesc(null), Now);
        Assert.Equal(["p4", "p2", "p5", "p1", "p3", "p7", "p8", "p6"], KeysOf(page));
        Assert.False(page.HasMore);
        Assert.Null(page.NextCursor);
        Assert.Equal(CursorStatus.None, page.CursorStatus);
    }

    [Theory]
    [InlineData(1, new[] { "p4" }, true)]
    [InlineData(3, new[] { "p4", "p2", "p5" }, true)]
    [InlineData(7, new[] { "p4", "p2", "p5", "p1", "p3", "p7", "p8" }, true)]
    [InlineData(8, new[] { "p4", "p2", "p5", "p1", "p3", "p7", "p8", "p6" }, false)]
    [InlineData(50, new[] { "p4", "p2", "p5", "p1", "p3", "p7", "p8", "p6" }, false)]
    public void Limit_cuts_the_first_page(int limit, string[] expected, bool hasMore)
    {
        var page = QueryExecutor.Execute(Players, ScoreDesc(limit), Now);
        Assert.Equal(expected, KeysOf(page));
        Assert.Equal(hasMore, page.HasMore);
        Assert.Equal(hasMore, page.NextCursor is not null);
    }

    [Fact]
    public void Cursors_carry_long_keys_and_long_sort_values_whose_lengths_take_several_varint_bytes()
    {
        // Lengths of 200 and 20,000 UTF-16 units need two and three varint bytes in the cursor payload.
        var names = new[] { new string('b', 200), new string('a', 20_000), new string('c', 150) };
        var candidates = names.Select((name, i) => new QueryCandidate(
            new string((char)('x' + i), 300), Record(("name", name)), new Timestamp(1000, 0, "node-a"))).ToArray();
        var spec = Spec(Record(("sort", Record(("name", "asc"))), ("limit", 1)));

        var seen = new List<string>();
        var page = QueryExecutor.Execute(candidates, spec, Now);
        seen.AddRange(KeysOf(page));
        while (page.NextCursor is { } cursor)
        {
            page = QueryExecutor.Execute(candidates, spec.WithCursor(cursor), Now);
            Assert.Equal(CursorStatus.Valid, page.CursorStatus);
            seen.AddRange(KeysOf(page));
            Assert.True(seen.Count <= 3, "paging did not end");
        }

        Assert.Equal([candidates[1].Key, candidates[0].Key, candidates[2].Key], seen);
    }

    [Fact]
    public void Three_pages_return_every_match_exactly_once_in_order()
    {
        var spec = ScoreDesc(3, Leaf("neq", "team", "green"));

        var first = QueryExecutor.Execute(Players, spec, Now);
        var second = QueryExecutor.Execute(Players, spec.WithCursor(first.NextCursor), Now + 1_000);
        var third = QueryExecutor.Execute(Players, spec.WithCursor(second.NextCursor), Now + 2_000);

        Assert.Equal(["p4", "p2", "p5"], KeysOf(first));
        Assert.Equal(["p1", "p3", "p7"], KeysOf(second));
        Assert.Equal(["p8", "p6"], KeysOf(third));
        Assert.Equal([CursorStatus.None, CursorStatus.Valid, CursorStatus.Valid], new[] { first.CursorStatus, second.CursorStatus, third.CursorStatus });
        Assert.True(first.HasMore);
        Assert.True(second.HasMore);
        Assert.False(third.HasMore);
        Assert.Null(third.NextCursor);
    }

    [Fact]
    public void Paging_only_returns_matching_records()
    {
        var spec = ScoreDesc(2, Leaf("eq", "team", "red"));
        var first = QueryExecutor.Execute(Players, spec, Now);
        var second = QueryExecutor.Execute(Players, spec.WithCursor(first.NextCursor), Now);
        var third = QueryExecutor.Execute(Players, spec.WithCursor(second.NextCursor), Now);
        Assert.Equal(["p4", "p5", "p1", "p7", "p8"], KeysOf(first).Concat(KeysOf(second)).Concat(KeysOf(third)));
        Assert.False(third.HasMore);
    }

    [Fact]
    public void Results_keep_their_values_and_timestamps()
    {
        var page = QueryExecutor.Execute(Players, ScoreDesc(1), Now);
        Assert.Equal(Players[3], Assert.Single(page.Results));
    }

    [Fact]
    public void Cursor_is_unpadded_base64url()
    {
        var cursor = QueryExecutor.Execute(Players, ScoreDesc(2), Now).NextCursor!;
        Assert.Matches("^[A-Za-z0-9_-]+$", cursor);
    }

    [Fact]
    public void Cursor_survives_a_changed_limit_and_a_deleted_boundary_row()
    {
        var spec = ScoreDesc(3);
        var first = QueryExecutor.Execute(Players, spec, Now);
        Assert.Equal("p5", first.Results[^1].Key);

        var withoutP5 = Players.Where(p => p.Key != "p5");
        var rest = QueryExecutor.Execute(withoutP5, spec.WithLimit(10).WithCursor(first.NextCursor), Now);
        Assert.Equal(CursorStatus.Valid, rest.CursorStatus);
        Assert.Equal(["p1", "p3", "p7", "p8", "p6"], KeysOf(rest));
    }

    [Fact]
    public void Expired_cursor_restarts_at_the_first_page()
    {
        var spec = ScoreDesc(3);
        var cursor = QueryExecutor.Execute(Players, spec, Now).NextCursor;

        var atLimit = QueryExecutor.Execute(Players, spec.WithCursor(cursor), Now + QueryCursor.MaxAgeMillis);
        Assert.Equal(CursorStatus.Valid, atLimit.CursorStatus);

        var expired = QueryExecutor.Execute(Players, spec.WithCursor(cursor), Now + QueryCursor.MaxAgeMillis + 1);
        Assert.Equal(CursorStatus.Expired, expired.CursorStatus);
        Assert.Equal(["p4", "p2", "p5"], KeysOf(expired));
        Assert.True(expired.HasMore);
    }

    [Fact]
    public void Cursor_from_the_future_is_invalid()
    {
        var spec = ScoreDesc(3);
        var cursor = QueryExecutor.Execute(Players, spec, Now + QueryCursor.MaxAgeMillis + 1).NextCursor;
        Assert.Equal(CursorStatus.Invalid, QueryExecutor.Execute(Players, spec.WithCursor(cursor), Now).CursorStatus);
    }

    [Fact]
    public void Cursor_of_another_predicate_or_sort_is_invalid_and_restarts()
    {
        var cursor = QueryExecutor.Execute(Players, ScoreDesc(3), Now).NextCursor;

        var otherPredicate = ScoreDesc(3, Leaf("eq", "team", "red")).WithCursor(cursor);
        var page = QueryExecutor.Execute(Players, otherPredicate, Now);
        Assert.Equal(CursorStatus.Invalid, page.CursorStatus);
        Assert.Equal(["p4", "p5", "p1"], KeysOf(page));

        var otherSort = Spec(Value.Map(("sort", Record(("score", "asc"))), ("limit", 3), ("cursor", cursor!)));
        page = QueryExecutor.Execute(Players, otherSort, Now);
        Assert.Equal(CursorStatus.Invalid, page.CursorStatus);
        Assert.Equal(["p6", "p8", "p1"], KeysOf(page));
    }

    [Theory]
    [InlineData("not a cursor!")]
    [InlineData("abc")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("____________________________________________")]
    [InlineData("eyJub2RlVmFsdWVzIjp7fX0")]
    public void Garbage_cursor_is_invalid_and_restarts(string garbage)
    {
        var page = QueryExecutor.Execute(Players, ScoreDesc(3).WithCursor(garbage), Now);
        Assert.Equal(CursorStatus.Invalid, page.CursorStatus);
        Assert.Equal(["p4", "p2", "p5"], KeysOf(page));
    }

    [Fact]
    public void Truncated_or_extended_cursor_is_invalid()
    {
        var spec = ScoreDesc(3);
        var cursor = QueryExecutor.Execute(Players, spec, Now).NextCursor!;
        for (var cut = 1; cut < cursor.Length; cut++)
            Assert.Equal(CursorStatus.Invalid, QueryCursor.TryDecode(cursor[..cut], spec, Now, out _));
        Assert.Equal(CursorStatus.Invalid, QueryCursor.TryDecode(cursor + "AA", spec, Now, out _));
    }

    [Fact]
    public void Decoded_cursor_tells_later_rows_from_earlier_ones()
    {
        var spec = ScoreDesc(3);
        var cursor = QueryExecutor.Execute(Players, spec, Now).NextCursor;
        Assert.Equal(CursorStatus.Valid, QueryCursor.TryDecode(cursor, spec, Now, out var position));
        Assert.Equal("p5", position!.LastKey);
        Assert.Equal(Now, position.IssuedAtMillis);
        Assert.False(position.IsAfterCursor(Players[1])); // p2, 70: before p5 by key
        Assert.False(position.IsAfterCursor(Players[4])); // p5 itself
        Assert.True(position.IsAfterCursor(Players[0]));  // p1, 50
        Assert.True(position.IsAfterCursor(Player("p9", 70, "red"))); // tie on 70, later key
    }

    [Fact]
    public void No_cursor_decodes_as_none()
    {
        Assert.Equal(CursorStatus.None, QueryCursor.TryDecode(null, ScoreDesc(3), Now, out var position));
        Assert.Null(position);
    }

    [Fact]
    public void Cursor_without_sort_pages_by_key()
    {
        var spec = Spec(Value.Map(("limit", 5)));
        var first = QueryExecutor.Execute(Players, spec, Now);
        var second = QueryExecutor.Execute(Players, spec.WithCursor(first.NextCursor), Now);
        Assert.Equal(["p1", "p2", "p3", "p4", "p5"], KeysOf(first));
        Assert.Equal(["p6", "p7", "p8"], KeysOf(second));
    }

    [Fact]
    public void Cursor_keeps_keys_with_unusual_characters_exact()
    {
        QueryCandidate[] records = [new("a\uD800", 1, null), new("a\uD800b", 1, null), new("é", 1, null), new("😀", 1, null)];
        var spec = Spec(Value.Map(("limit", 1)));
        var seen = new List<string>();
        var page = QueryExecutor.Execute(records, spec, Now);
        seen.AddRange(KeysOf(page));
        while (page.HasMore)
        {
            page = QueryExecutor.Execute(records, spec.WithCursor(page.NextCursor), Now);
            Assert.Equal(CursorStatus.Valid, page.CursorStatus);
            seen.AddRange(KeysOf(page));
        }
        Assert.Equal(records.Select(r => r.Key), seen);
    }

    [Fact]
    public void Partitions_merged_give_the_same_pages_as_one_execution()
    {
        var spec = ScoreDesc(3, Leaf("gte", "score", 20));
        var partitions = new[] { Players[..3], Players[3..5], Players[5..] };
        string? cursor = null;
        var merged = new List<string>();
        do
        {
            var paged = spec.WithCursor(cursor);
            var shares = partitions.Select(p => QueryExecutor.SelectPartition(p, paged, Now)).ToList();
            Assert.All(shares, share => Assert.True(share.Count <= 4));
            var page = QueryExecutor.Merge(shares, paged, Now);
            Assert.Equal(QueryExecutor.Execute(Players, paged, Now), page with { }, PageComparer.Instance);
            merged.AddRange(KeysOf(page));
            cursor = page.NextCursor;
        } while (cursor is not null);
        Assert.Equal(["p4", "p2", "p5", "p1", "p3", "p7", "p8"], merged);
    }

    private sealed class PageComparer : IEqualityComparer<QueryPage>
    {
        public static readonly PageComparer Instance = new();

        public bool Equals(QueryPage? x, QueryPage? y) =>
            x!.Results.SequenceEqual(y!.Results) && x.NextCursor == y.NextCursor && x.HasMore == y.HasMore && x.CursorStatus == y.CursorStatus;

        public int GetHashCode(QueryPage obj) => obj.Results.Count;
    }
}
