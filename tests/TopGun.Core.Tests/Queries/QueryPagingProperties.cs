using CsCheck;
using TopGun.Core.Queries;
using TopGun.Core.Values;
using static TopGun.Core.Tests.Queries.QueryValues;

namespace TopGun.Core.Tests.Queries;

public sealed class QueryPagingProperties
{
    private const long Now = 1_700_000_000_000;

    // A small domain so ties, nulls, missing fields and mixed types are common.
    private static readonly Gen<Value?> FieldValue = Gen.OneOf<Value?>(
        Gen.Int[0, 3].Select(i => (Value?)Value.Of(i)),
        Gen.OneOf<Value?>("x", "y", "", true, false, Value.Null, null, Strings("a")));

    private static readonly Gen<Value> RecordValue = Gen.Select(FieldValue, FieldValue, (a, b) =>
    {
        var fields = new List<(string, Value)>();
        if (a is not null) fields.Add(("a", a));
        if (b is not null) fields.Add(("b", b));
        return Record(fields.ToArray());
    });

    private static readonly Gen<QueryCandidate[]> Records =
        Gen.Int[0, 60].HashSet[0, 40].SelectMany(keys =>
            RecordValue.Array[keys.Count].Select(values =>
                keys.Select((k, i) => new QueryCandidate($"k{k}", values[i], null)).ToArray()));

    private static readonly Value[] Sorts =
    [
        Value.Map(),
        Record(("a", "asc")),
        Record(("a", "desc")),
        Record(("a", "asc"), ("b", "desc")),
        Record(("b", "desc"), ("a", "desc")),
        Record(("_key", "desc")),
    ];

    private static readonly Value?[] Predicates =
    [
        null,
        Leaf("neq", "a", 0),
        Node("or", Leaf("gte", "b", 1), Leaf("eq", "a", "x")),
    ];

    private static readonly Gen<(QueryCandidate[] Records, int Sort, int Predicate, int Limit)> Cases =
        Gen.Select(Records, Gen.Int[0, Sorts.Length - 1], Gen.Int[0, Predicates.Length - 1], Gen.Int[1, 7]);

    private static QuerySpec SpecFor(int sort, int predicate, int? limit)
    {
        var entries = new List<(string, Value)> { ("sort", Sorts[sort]) };
        if (Predicates[predicate] is { } p) entries.Add(("predicate", p));
        if (limit is not null) entries.Add(("limit", limit.Value));
        return Spec(Value.Map(entries.ToArray()));
    }

    [Fact]
    public void Concatenated_cursor_pages_equal_the_full_sorted_result()
    {
        Cases.Sample(c =>
        {
            var full = QueryExecutor.Execute(c.Records, SpecFor(c.Sort, c.Predicate, null), Now).Results.Select(r => r.Key).ToList();

            var spec = SpecFor(c.Sort, c.Predicate, c.Limit);
            var paged = new List<string>();
            var page = QueryExecutor.Execute(c.Records, spec, Now);
            var pages = 1;
            paged.AddRange(page.Results.Select(r => r.Key));
            while (page.HasMore)
            {
                Assert.Equal(c.Limit, page.Results.Count);
                page = QueryExecutor.Execute(c.Records, spec.WithCursor(page.NextCursor), Now + pages++);
                Assert.Equal(CursorStatus.Valid, page.CursorStatus);
                paged.AddRange(page.Results.Select(r => r.Key));
            }
            Assert.Equal(full, paged);
        }, iter: 300);
    }

    [Fact]
    public void Full_result_is_the_matching_records_in_comparer_order()
    {
        Cases.Sample(c =>
        {
            var spec = SpecFor(c.Sort, c.Predicate, null);
            var expected = c.Records.Where(r => spec.Matches(r.Key, r.Value)).Order(spec.Comparer).Select(r => r.Key);
            Assert.Equal(expected, QueryExecutor.Execute(c.Records, spec, Now).Results.Select(r => r.Key));
        }, iter: 300);
    }

    [Fact]
    public void Partition_shares_merge_into_the_same_page_as_one_execution()
    {
        Gen.Select(Cases, Gen.Int[1, 4]).Sample(t =>
        {
            var (c, partitionCount) = t;
            var spec = SpecFor(c.Sort, c.Predicate, c.Limit);
            var cursor = QueryExecutor.Execute(c.Records, spec, Now).NextCursor;
            var paged = spec.WithCursor(cursor);
            var partitions = c.Records.Select((r, i) => (r, i)).GroupBy(x => x.i % partitionCount, x => x.r).Select(g => g.ToArray());
            var merged = QueryExecutor.Merge(partitions.Select(p => QueryExecutor.SelectPartition(p, paged, Now)), paged, Now);
            var direct = QueryExecutor.Execute(c.Records, paged, Now);
            Assert.Equal(direct.Results, merged.Results);
            Assert.Equal(direct.NextCursor, merged.NextCursor);
            Assert.Equal(direct.CursorStatus, merged.CursorStatus);
        }, iter: 200);
    }
}
