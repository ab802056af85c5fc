using TopGun.Core.Queries;
using TopGun.Core.Values;
using static TopGun.Core.Tests.Queries.QueryValues;

namespace TopGun.Core.Tests.Queries;

public sealed class QuerySortingTests
{
    private static string[] Keys(Value query, params (string Key, Value Value)[] records) =>
        QueryExecutor.Execute(records.Select(r => new QueryCandidate(r.Key, r.Value, null)), Spec(query), 0)
            .Results.Select(r => r.Key).ToArray();

    private static Value SortBy(params (string Field, Value Direction)[] fields) => Value.Map(("sort", Value.Map(fields)));

    [Fact]
    public void Without_sort_results_are_ordered_by_key_ordinally() =>
        Assert.Equal(["B", "a", "b", "c10", "c2"],
            Keys(Value.Map(), ("c2", 1), ("a", 1), ("c10", 1), ("b", 1), ("B", 1)));

    [Fact]
    public void Single_field_sorts_ascending_and_descending_with_key_tie_break()
    {
        (string, Value)[] records = [("k3", Record(("n", 2))), ("k1", Record(("n", 1))), ("k2", Record(("n", 2))), ("k0", Record(("n", 3)))];
        Assert.Equal(["k1", "k2", "k3", "k0"], Keys(SortBy(("n", "asc")), records));
        Assert.Equal(["k0", "k2", "k3", "k1"], Keys(SortBy(("n", "desc")), records));
    }

    [Fact]
    public void Several_fields_apply_in_insertion_order()
    {
        (string, Value)[] records =
        [
            ("e1", Record(("dept", "ops"), ("salary", 100))),
            ("e2", Record(("dept", "dev"), ("salary", 100))),
            ("e3", Record(("dept", "ops"), ("salary", 300))),
            ("e4", Record(("dept", "dev"), ("salary", 200))),
            ("e5", Record(("dept", "ops"), ("salary", 300))),
        ];
        Assert.Equal(["e4", "e2", "e3", "e5", "e1"], Keys(SortBy(("dept", "asc"), ("salary", "desc")), records));
        Assert.Equal(["e3", "e5", "e4", "e1", "e2"], Keys(SortBy(("salary", "desc"), ("dept", "desc")), records));
    }

    [Fact]
    public void Null_and_missing_values_sort_last_in_both_directions()
    {
        (string, Value)[] records =
        [
            ("missing", Record(("other", 1))),
            ("null", Record(("n", Value.Null))),
            ("two", Record(("n", 2))),
            ("one", Record(("n", 1))),
            ("scalar", 5),
        ];
        Assert.Equal(["one", "two", "null", "missing", "scalar"], Keys(SortBy(("n", "asc")), records));
        Assert.Equal(["two", "one", "null", "missing", "scalar"], Keys(SortBy(("n", "desc")), records));
    }

    [Fact]
    public void Mixed_types_order_numbers_then_strings_then_booleans_then_structures()
    {
        (string, Value)[] records =
        [
            ("arr", Record(("v", Strings("a")))),
            ("bool", Record(("v", false))),
            ("str", Record(("v", "10"))),
            ("num", Record(("v", 10))),
        ];
        Assert.Equal(["num", "str", "bool", "arr"], Keys(SortBy(("v", "asc")), records));
        Assert.Equal(["arr", "bool", "str", "num"], Keys(SortBy(("v", "desc")), records));
    }

    [Fact]
    public void Strings_sort_by_utf16_code_units() =>
        // "Z" (0x5A) < "a" (0x61) < "é" (0xE9) < "😀" (0xD83D …): no culture-aware collation.
        Assert.Equal(["4", "2", "1", "3"],
            Keys(SortBy(("s", "asc")), ("1", Record(("s", "é"))), ("2", Record(("s", "a"))), ("3", Record(("s", "😀"))), ("4", Record(("s", "Z")))));

    [Fact]
    public void Key_can_be_a_sort_field() =>
        Assert.Equal(["c", "b", "a"], Keys(SortBy(("_key", "desc")), ("a", 1), ("c", 1), ("b", 1)));

    [Fact]
    public void Comparer_is_a_total_order_that_only_ties_on_the_same_key()
    {
        var comparer = Spec(SortBy(("n", "desc"))).Comparer;
        var a = new QueryCandidate("a", Record(("n", 1)), null);
        var b = new QueryCandidate("b", Record(("n", 1)), null);
        var c = new QueryCandidate("c", Record(("n", 2)), null);
        Assert.Equal(-1, comparer.Compare(a, b));
        Assert.Equal(1, comparer.Compare(b, a));
        Assert.Equal(-1, comparer.Compare(c, a));
        Assert.Equal(0, comparer.Compare(a, a with { Value = Record(("n", 1)) }));
    }
}
