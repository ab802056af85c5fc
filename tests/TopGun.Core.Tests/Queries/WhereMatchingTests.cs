using TopGun.Core.Values;
using static TopGun.Core.Tests.Queries.QueryValues;

namespace TopGun.Core.Tests.Queries;

public sealed class WhereMatchingTests
{
    private static readonly Value Bob = Record(("name", "Bob"), ("age", 42), ("city", "Oslo"));

    private static bool Where(params (string, Value)[] where) => Spec(WithWhere(where)).Matches("user:bob", Bob);

    [Fact]
    public void Plain_values_are_equality_and_all_fields_must_match()
    {
        Assert.True(Where(("name", "Bob")));
        Assert.True(Where(("name", "Bob"), ("city", "Oslo")));
        Assert.False(Where(("name", "Bob"), ("city", "Bergen")));
        Assert.False(Where(("age", "42")));
    }

    [Theory]
    [InlineData("$eq", 42, true)]
    [InlineData("$eq", 41, false)]
    [InlineData("$ne", 41, true)]
    [InlineData("$ne", 42, false)]
    [InlineData("$neq", 41, true)]
    [InlineData("$neq", 42, false)]
    [InlineData("$gt", 41, true)]
    [InlineData("$gt", 42, false)]
    [InlineData("$gte", 42, true)]
    [InlineData("$gte", 43, false)]
    [InlineData("$lt", 43, true)]
    [InlineData("$lt", 42, false)]
    [InlineData("$lte", 42, true)]
    [InlineData("$lte", 41, false)]
    public void Operators_compare_like_predicates(string op, double operand, bool expected) =>
        Assert.Equal(expected, Where(("age", Ops((op, operand)))));

    [Fact]
    public void Several_operators_on_one_field_all_apply()
    {
        Assert.True(Where(("age", Ops(("$gte", 40), ("$lt", 50)))));
        Assert.False(Where(("age", Ops(("$gte", 40), ("$lt", 42)))));
    }

    [Fact]
    public void Empty_operator_map_matches_everything() =>
        Assert.True(Where(("age", Value.Map())));

    [Fact]
    public void Missing_field_fails_equality_and_comparisons()
    {
        Assert.False(Where(("zip", "0150")));
        Assert.False(Where(("zip", Ops(("$gt", 0)))));
        Assert.True(Where(("zip", Ops(("$ne", 0)))));
    }

    [Fact]
    public void Null_where_value_matches_only_null_fields()
    {
        Assert.False(Where(("city", Value.Null)));
        Assert.True(Spec(WithWhere(("city", Value.Null))).Matches("k", Record(("city", Value.Null))));
    }

    [Fact]
    public void Key_field_refers_to_the_record_key()
    {
        Assert.True(Where(("_key", "user:bob")));
        Assert.True(Where(("_key", Ops(("$gt", "user:a")))));
        Assert.False(Where(("_key", "user:alice")));
    }

    [Fact]
    public void Array_where_value_never_matches_like_strict_equality() =>
        Assert.False(Spec(WithWhere(("tags", Strings("a")))).Matches("k", Record(("tags", Strings("a")))));
}
