using TopGun.Core.Values;
using static TopGun.Core.Tests.Queries.QueryValues;

namespace TopGun.Core.Tests.Queries;

public sealed class PredicateMatchingTests
{
    private static readonly Value Alice = Record(("name", "Alice"), ("age", 30), ("active", true), ("tags", Strings("admin", "ops")), ("nick", Value.Null));

    [Theory]
    [InlineData("eq", 30, true)]
    [InlineData("eq", 31, false)]
    [InlineData("neq", 31, true)]
    [InlineData("neq", 30, false)]
    [InlineData("gt", 29, true)]
    [InlineData("gt", 30, false)]
    [InlineData("gte", 30, true)]
    [InlineData("gte", 31, false)]
    [InlineData("lt", 31, true)]
    [InlineData("lt", 30, false)]
    [InlineData("lte", 30, true)]
    [InlineData("lte", 29, false)]
    public void Numeric_comparisons_follow_javascript(string op, double operand, bool expected) =>
        Assert.Equal(expected, Matches(Leaf(op, "age", operand), Alice));

    [Theory]
    [InlineData("gt", "Aardvark", true)]
    [InlineData("gt", "alice", false)] // UTF-16 order: 'A' (0x41) sorts before 'a' (0x61)
    [InlineData("lt", "Bob", true)]
    [InlineData("gte", "Alice", true)]
    [InlineData("lte", "Alic", false)]
    public void String_comparisons_use_ordinal_code_unit_order(string op, string operand, bool expected) =>
        Assert.Equal(expected, Matches(Leaf(op, "name", operand), Alice));

    [Theory]
    [InlineData("eq")]
    [InlineData("gt")]
    [InlineData("gte")]
    [InlineData("lt")]
    [InlineData("lte")]
    public void Mixed_types_never_compare(string op)
    {
        Assert.False(Matches(Leaf(op, "age", "30"), Alice));
        Assert.False(Matches(Leaf(op, "name", 1), Alice));
        Assert.False(Matches(Leaf(op, "nick", 0), Alice));
    }

    [Fact]
    public void Neq_across_types_is_true_like_strict_inequality() =>
        Assert.True(Matches(Leaf("neq", "age", "30"), Alice));

    [Fact]
    public void Booleans_compare_false_before_true()
    {
        Assert.True(Matches(Leaf("eq", "active", true), Alice));
        Assert.True(Matches(Leaf("gt", "active", false), Alice));
        Assert.False(Matches(Leaf("lt", "active", false), Alice));
    }

    [Fact]
    public void Null_equals_only_null()
    {
        Assert.True(Matches(Leaf("eq", "nick", Value.Null), Alice));
        Assert.False(Matches(Leaf("eq", "name", Value.Null), Alice));
        // undefined !== null: a missing attribute is not null.
        Assert.False(Matches(Leaf("eq", "missing", Value.Null), Alice));
    }

    [Fact]
    public void Missing_attribute_is_undefined()
    {
        Assert.True(Matches(LeafWithoutValue("eq", "missing"), Alice));
        Assert.False(Matches(LeafWithoutValue("eq", "name"), Alice));
        Assert.True(Matches(Leaf("neq", "missing", 1), Alice));
        Assert.False(Matches(Leaf("gt", "missing", 0), Alice));
        Assert.False(Matches(Leaf("lt", "missing", 0), Alice));
        Assert.False(Matches(Leaf("like", "missing", "%"), Alice));
        Assert.False(Matches(Leaf("contains", "missing", "a"), Alice));
    }

    [Fact]
    public void NaN_never_equals_anything()
    {
        var record = Record(("x", double.NaN));
        Assert.False(Matches(Leaf("eq", "x", double.NaN), record));
        Assert.True(Matches(Leaf("neq", "x", double.NaN), record));
        Assert.False(Matches(Leaf("gte", "x", double.NaN), record));
    }

    [Fact]
    public void Negative_zero_equals_zero() =>
        Assert.True(Matches(Leaf("eq", "x", 0), Record(("x", -0.0))));

    [Fact]
    public void Arrays_and_maps_are_never_strictly_equal_as_in_javascript()
    {
        var record = Record(("tags", Strings("a")), ("address", Record(("city", "Oslo"))));
        Assert.False(Matches(Leaf("eq", "tags", Strings("a")), record));
        Assert.False(Matches(Leaf("eq", "address", Record(("city", "Oslo"))), record));
        Assert.True(Matches(Leaf("neq", "tags", Strings("a")), record));
    }

    [Fact]
    public void Falsy_values_are_real_values()
    {
        var record = Record(("count", 0), ("label", ""), ("done", false));
        Assert.True(Matches(Leaf("eq", "count", 0), record));
        Assert.True(Matches(Leaf("lte", "count", 0), record));
        Assert.True(Matches(Leaf("eq", "label", ""), record));
        Assert.True(Matches(Leaf("like", "label", "%"), record));
        Assert.True(Matches(Leaf("eq", "done", false), record));
        Assert.False(Matches(Leaf("neq", "done", false), record));
        Assert.True(Spec(WithWhere(("count", 0), ("label", ""), ("done", false))).Matches("k", record));
    }

    [Fact]
    public void Key_attribute_refers_to_the_record_key()
    {
        var record = Record(("_key", "shadowed"), ("age", 3));
        Assert.True(Matches(Leaf("eq", "_key", "user:7"), record, key: "user:7"));
        Assert.False(Matches(Leaf("eq", "_key", "shadowed"), record, key: "user:7"));
        Assert.True(Matches(Leaf("like", "_key", "USER:%"), record, key: "user:7"));
        Assert.True(Matches(Leaf("gt", "_key", "user:6"), record, key: "user:7"));
    }

    [Fact]
    public void Non_map_values_only_match_key_conditions_and_empty_queries()
    {
        Assert.True(Spec(Value.Map()).Matches("a", 42));
        Assert.True(Matches(Leaf("eq", "_key", "a"), 42, key: "a"));
        Assert.False(Matches(Leaf("eq", "length", 2), Strings("x", "y")));
        Assert.True(Matches(LeafWithoutValue("eq", "age"), "text"));
    }

    [Fact]
    public void Tombstones_never_match()
    {
        Assert.False(Spec(Value.Map()).Matches("a", Value.Null));
        Assert.False(Matches(Leaf("eq", "_key", "a"), Value.Null, key: "a"));
    }

    [Fact]
    public void Dotted_attributes_are_literal_field_names_as_in_typescript()
    {
        var record = Record(("address", Record(("city", "Oslo"))), ("address.city", "Bergen"));
        Assert.True(Matches(Leaf("eq", "address.city", "Bergen"), record));
        Assert.False(Matches(Leaf("eq", "address.city", "Oslo"), record));
    }

    [Fact]
    public void Contains_finds_substrings_case_insensitively()
    {
        Assert.True(Matches(Leaf("contains", "name", "LIC"), Alice));
        Assert.True(Matches(Leaf("contains", "name", ""), Alice));
        Assert.False(Matches(Leaf("contains", "name", "bob"), Alice));
        Assert.False(Matches(Leaf("contains", "age", "3"), Alice));
        Assert.False(Matches(Leaf("contains", "name", 1), Alice));
    }

    [Fact]
    public void Contains_finds_array_elements_by_strict_equality()
    {
        var record = Record(("tags", Strings("admin", "ops")), ("scores", Value.Array(1, 0, 2)));
        Assert.True(Matches(Leaf("contains", "tags", "ops"), record));
        Assert.False(Matches(Leaf("contains", "tags", "OPS"), record));
        Assert.False(Matches(Leaf("contains", "tags", "op"), record));
        Assert.True(Matches(Leaf("contains", "scores", 0), record));
        Assert.False(Matches(Leaf("contains", "scores", "0"), record));
    }

    [Fact]
    public void ContainsAll_requires_every_element()
    {
        Assert.True(Matches(Leaf("containsAll", "tags", Strings("ops", "admin")), Alice));
        Assert.False(Matches(Leaf("containsAll", "tags", Strings("ops", "dev")), Alice));
        Assert.True(Matches(Leaf("containsAll", "tags", Strings()), Alice));
        Assert.False(Matches(Leaf("containsAll", "age", Strings()), Alice));
    }

    [Fact]
    public void ContainsAny_requires_one_element()
    {
        Assert.True(Matches(Leaf("containsAny", "tags", Strings("dev", "ops")), Alice));
        Assert.False(Matches(Leaf("containsAny", "tags", Strings("dev", "qa")), Alice));
        Assert.False(Matches(Leaf("containsAny", "tags", Strings()), Alice));
    }

    [Fact]
    public void ContainsAll_and_ContainsAny_search_text_for_every_or_any_word()
    {
        var record = Record(("bio", "Loves Rust and TypeScript"));
        Assert.True(Matches(Leaf("containsAll", "bio", Strings("rust", "typescript")), record));
        Assert.False(Matches(Leaf("containsAll", "bio", Strings("rust", "go")), record));
        Assert.True(Matches(Leaf("containsAny", "bio", Strings("go", "RUST")), record));
        Assert.False(Matches(Leaf("containsAny", "bio", Value.Array(1, 2)), record));
    }

    [Fact]
    public void Logical_operators_nest()
    {
        // (age >= 18 and not(name like 'B%')) or tags contains 'root'
        var predicate = Node("or",
            Node("and", Leaf("gte", "age", 18), Node("not", Leaf("like", "name", "b%"))),
            Leaf("contains", "tags", "root"));
        Assert.True(Matches(predicate, Alice));
        Assert.False(Matches(predicate, Record(("name", "Bob"), ("age", 40))));
        Assert.True(Matches(predicate, Record(("name", "Bob"), ("age", 40), ("tags", Strings("root")))));
        Assert.False(Matches(predicate, Record(("name", "Carl"), ("age", 12))));
    }

    [Fact]
    public void Empty_logical_nodes_follow_typescript()
    {
        Assert.True(Matches(Node("and"), Alice));
        Assert.False(Matches(Node("or"), Alice));
        Assert.True(Matches(Node("not"), Alice));
        Assert.True(Matches(Value.Map(("op", "and")), Alice));
    }
}
