using TopGun.Core.Queries;
using TopGun.Core.Values;
using static TopGun.Core.Tests.Queries.QueryValues;

namespace TopGun.Core.Tests.Queries;

public sealed class QuerySpecParsingTests
{
    [Fact]
    public void Empty_and_null_queries_match_everything_unsorted_and_unlimited()
    {
        foreach (var query in new[] { Value.Map(), Value.Null })
        {
            var spec = Spec(query);
            Assert.Null(spec.Filter);
            Assert.Empty(spec.Sort);
            Assert.Null(spec.Limit);
            Assert.Null(spec.Cursor);
            Assert.True(spec.Matches("k", Record(("a", 1))));
        }
    }

    [Fact]
    public void Unknown_operator_is_named_with_its_path()
    {
        var query = WithPredicate(Node("and", Leaf("eq", "a", 1), Leaf("foo", "b", 2)));
        Assert.Equal("predicate.children[1].op: unknown operator 'foo'", ParseError(query));
    }

    [Fact]
    public void Deeply_nested_errors_name_the_full_path()
    {
        var query = WithPredicate(Node("or", Leaf("eq", "a", 1), Node("not", Value.Map(("op", "eq"), ("value", 1)))));
        Assert.Equal("predicate.children[1].children[0].attribute: a non-empty string is required for 'eq'", ParseError(query));
    }

    [Theory]
    [MemberData(nameof(MalformedQueries))]
    public void Malformed_queries_are_rejected_with_a_clear_message(Value query, string expected) =>
        Assert.Equal(expected, ParseError(query));

    public static TheoryData<Value, string> MalformedQueries() => new()
    {
        { "text", "query: must be a map" },
        { WithPredicate(Strings("eq")), "predicate: must be a map" },
        { WithPredicate(Value.Map(("attribute", "a"))), "predicate.op: required" },
        { WithPredicate(Value.Map(("op", 3))), "predicate.op: must be a string" },
        { WithPredicate(Leaf("EQ", "a", 1)), "predicate.op: unknown operator 'EQ'" },
        { WithPredicate(Leaf("eq", "", 1)), "predicate.attribute: a non-empty string is required for 'eq'" },
        { WithPredicate(Value.Map(("op", "and"), ("children", "x"))), "predicate.children: must be an array" },
        { WithPredicate(Node("not", Leaf("eq", "a", 1), Leaf("eq", "b", 1))), "predicate.children: 'not' takes a single child" },
        { WithPredicate(Leaf("like", "a", 1)), "predicate.value: 'like' needs a string pattern" },
        { WithPredicate(Leaf("regex", "a", Value.Null)), "predicate.value: 'regex' needs a string pattern" },
        { WithPredicate(Leaf("containsAll", "a", "x")), "predicate.value: 'containsAll' needs an array" },
        { WithPredicate(Leaf("containsAny", "a", "x")), "predicate.value: 'containsAny' needs an array" },
        { Value.Map(("where", 1)), "where: must be a map" },
        { WithWhere(("age", Ops(("$between", 1)))), "where.age: unknown operator '$between'" },
        { WithWhere(("address", Record(("city", "Oslo")))), "where.address: unknown operator 'city'" },
        { Value.Map(("sort", "name")), "sort: must be a map of field to 'asc' or 'desc'" },
        { Value.Map(("sort", Record(("name", "up")))), "sort.name: must be 'asc' or 'desc'" },
        { Value.Map(("limit", 0)), "limit: must be a positive integer" },
        { Value.Map(("limit", -5)), "limit: must be a positive integer" },
        { Value.Map(("limit", 2.5)), "limit: must be a positive integer" },
        { Value.Map(("limit", "10")), "limit: must be a positive integer" },
        { Value.Map(("limit", double.PositiveInfinity)), "limit: must be a positive integer" },
        { Value.Map(("cursor", 5)), "cursor: must be a string" },
    };

    [Fact]
    public void Nesting_beyond_the_depth_limit_is_rejected()
    {
        var node = Leaf("eq", "a", 1);
        for (var i = 1; i < QuerySpec.MaxDepth; i++) node = Node("not", node);
        Assert.True(QuerySpec.TryParse(WithPredicate(node), out _, out _));

        var error = ParseError(WithPredicate(Node("not", node)));
        Assert.EndsWith($": nesting deeper than {QuerySpec.MaxDepth} levels", error);
        Assert.StartsWith("predicate.children[0].children[0]", error);
    }

    [Fact]
    public void Too_many_nodes_are_rejected()
    {
        var leaves = Enumerable.Range(0, QuerySpec.MaxNodes).Select(i => Leaf("eq", "a", i)).ToArray();
        Assert.Equal($"predicate: more than {QuerySpec.MaxNodes} nodes", ParseError(WithPredicate(Node("or", leaves))));
    }

    [Fact]
    public void Limit_is_capped_at_the_maximum()
    {
        Assert.Equal(QuerySpec.MaxLimit, Spec(Value.Map(("limit", 1e9))).Limit);
        Assert.Equal(25, Spec(Value.Map(("limit", 25))).Limit);
    }

    [Fact]
    public void WithLimit_caps_and_rejects_non_positive_limits()
    {
        var spec = Spec(Value.Map(("cursor", "c")));
        Assert.Equal(QuerySpec.MaxLimit, spec.WithLimit(int.MaxValue).Limit);
        Assert.Equal("c", spec.WithLimit(3).Cursor);
        Assert.Null(spec.WithLimit(3).WithLimit(null).Limit);
        Assert.Throws<ArgumentOutOfRangeException>(() => spec.WithLimit(0));
    }

    [Fact]
    public void Sort_keeps_insertion_order_as_priority()
    {
        var spec = Spec(Value.Map(("sort", Record(("b", "desc"), ("a", "asc"), ("_key", "desc")))));
        Assert.Equal(
            [new SortField("b", SortDirection.Desc), new SortField("a", SortDirection.Asc), new SortField("_key", SortDirection.Desc)],
            spec.Sort);
    }

    [Fact]
    public void Too_many_sort_fields_are_rejected()
    {
        var fields = Enumerable.Range(0, QuerySpec.MaxSortFields + 1).Select(i => ($"f{i}", (Value)"asc")).ToArray();
        Assert.Equal($"sort: at most {QuerySpec.MaxSortFields} fields", ParseError(Value.Map(("sort", Value.Map(fields)))));
    }

    [Fact]
    public void Empty_cursor_counts_as_no_cursor() =>
        Assert.Null(Spec(Value.Map(("cursor", ""))).Cursor);

    [Fact]
    public void Unknown_top_level_keys_are_ignored() =>
        Assert.True(QuerySpec.TryParse(Value.Map(("offset", 10), ("where", Record(("a", 1)))), out _, out _));

    [Fact]
    public void Predicate_wins_over_where_even_when_where_is_invalid()
    {
        var query = Value.Map(
            ("where", Record(("age", Ops(("$bogus", 1))))),
            ("predicate", Leaf("eq", "name", "Alice")));
        var spec = Spec(query);
        Assert.True(spec.Matches("k", Record(("name", "Alice"), ("age", 1))));
        Assert.False(spec.Matches("k", Record(("name", "Bob"), ("age", 1))));
    }

    [Fact]
    public void Null_predicate_falls_back_to_where()
    {
        var spec = Spec(Value.Map(("predicate", Value.Null), ("where", Record(("name", "Bob")))));
        Assert.True(spec.Matches("k", Record(("name", "Bob"))));
        Assert.False(spec.Matches("k", Record(("name", "Alice"))));
    }

    [Fact]
    public void Equivalent_queries_share_a_fingerprint()
    {
        var a = Spec(Value.Map(("where", Record(("x", Record(("$gt", 1))))), ("sort", Record(("x", "asc"))), ("limit", 5)));
        var b = Spec(Value.Map(("predicate", Leaf("gt", "x", 1)), ("sort", Record(("x", "asc"))), ("limit", 50), ("cursor", "abc")));
        var c = Spec(Value.Map(("predicate", Leaf("gt", "x", 1)), ("sort", Record(("x", "desc")))));
        var d = Spec(Value.Map(("predicate", Leaf("gt", "x", "1")), ("sort", Record(("x", "asc")))));
        Assert.Equal(a.Fingerprint, b.Fingerprint);
        Assert.NotEqual(a.Fingerprint, c.Fingerprint);
        Assert.NotEqual(a.Fingerprint, d.Fingerprint);
    }

    [Fact]
    public void Fingerprint_ignores_map_key_order_of_operands()
    {
        var a = Spec(WithPredicate(Leaf("eq", "x", Record(("p", 1), ("q", 2)))));
        var b = Spec(WithPredicate(Leaf("eq", "x", Record(("q", 2), ("p", 1)))));
        Assert.Equal(a.Fingerprint, b.Fingerprint);
    }

    [Fact]
    public void Fingerprint_tells_missing_value_from_null()
    {
        var missing = Spec(WithPredicate(LeafWithoutValue("eq", "x")));
        var nullValue = Spec(WithPredicate(Leaf("eq", "x", Value.Null)));
        Assert.NotEqual(missing.Fingerprint, nullValue.Fingerprint);
    }

    [Fact]
    public void Parse_throws_format_exception_with_the_error()
    {
        var e = Assert.Throws<FormatException>(() => QuerySpec.Parse(Value.Map(("limit", 0))));
        Assert.Equal("limit: must be a positive integer", e.Message);
    }
}
