using TopGun.Core.Values;

namespace TopGun.Core.Tests.Values;

public sealed class JsNumberTests
{
    // Expected strings were printed by Node's String(x) (V8), the formatting the TS peers hash with.
    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(1.5, "1.5")]
    [InlineData(-2.25, "-2.25")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(-1e-7, "-1e-7")]
    [InlineData(123456789012345680000d, "123456789012345680000")]
    [InlineData(1700000000000.5, "1700000000000.5")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(1.23e-18, "1.23e-18")]
    [InlineData(9007199254740992d, "9007199254740992")]
    [InlineData(9007199254740994d, "9007199254740994")]
    [InlineData(1000000000000000.2, "1000000000000000.2")]
    [InlineData(1e16, "10000000000000000")]
    [InlineData(100d, "100")]
    [InlineData(-0d, "0")]
    [InlineData(4.35, "4.35")]
    [InlineData(1d / 3, "0.3333333333333333")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void Formats_like_javascript_number_to_string(double value, string expected) =>
        Assert.Equal(expected, JsNumber.ToString(value));
}

public sealed class JsonTextTests
{
    [Fact]
    public void Escapes_like_JSON_stringify_including_lone_surrogates()
    {
        var value = Value.Map(("b", 1), ("a", "x\u0001\"\\\n\ud800"));
        Assert.Equal("{\"b\":1,\"a\":\"x\\u0001\\\"\\\\\\n\\ud800\"}", JsonText.Stringify(value));
    }

    [Fact]
    public void Property_list_orders_and_filters_keys_at_every_level()
    {
        var value = Value.Map(("b", 1), ("a", Value.Map(("c", 3), ("b", 2))));
        Assert.Equal("{\"a\":{\"b\":2},\"b\":1}", JsonText.Stringify(value, ["a", "b"]));
    }

    [Fact]
    public void Non_finite_numbers_render_as_null()
    {
        Assert.Equal("[null,null,1]", JsonText.Stringify(Value.Array(double.NaN, double.PositiveInfinity, 1)));
    }
}

public sealed class ValueEqualityTests
{
    [Fact]
    public void Maps_are_equal_regardless_of_key_order()
    {
        Assert.Equal(Value.Map(("a", 1), ("b", "x")), Value.Map(("b", "x"), ("a", 1)));
        Assert.Equal(Value.Map(("a", 1), ("b", "x")).GetHashCode(), Value.Map(("b", "x"), ("a", 1)).GetHashCode());
    }

    [Fact]
    public void A_repeated_key_keeps_its_first_position_and_last_value()
    {
        var map = (MapValue)Value.Map(("a", 1), ("b", 2), ("a", 3));
        Assert.Equal(["a", "b"], map.Entries.Select(e => e.Key));
        Assert.Equal(Value.Of(3), map["a"]);
    }

    [Fact]
    public void Large_maps_find_fields_through_their_index()
    {
        var map = Value.Map(Enumerable.Range(0, 20).Select(i => new KeyValuePair<string, Value>("k" + i, i)));
        Assert.Equal(Value.Of(17), map["k17"]);
        Assert.Null(map["missing"]);
    }

    [Fact]
    public void Numbers_compare_by_value_with_zero_and_negative_zero_equal()
    {
        Assert.Equal(Value.Of(0d), Value.Of(-0d));
        Assert.Equal(Value.Of(double.NaN), Value.Of(double.NaN));
        Assert.NotEqual(Value.Of(1), Value.Of("1"));
    }

    [Fact]
    public void Bytes_and_arrays_compare_by_content()
    {
        Assert.Equal(Value.Of(new byte[] { 1, 2 }), Value.Of(new byte[] { 1, 2 }));
        Assert.NotEqual(Value.Of(new byte[] { 1, 2 }), Value.Of(new byte[] { 2, 1 }));
        Assert.Equal(Value.Array(1, "a"), Value.Array(1, "a"));
        Assert.NotEqual(Value.Array(1, "a"), Value.Array("a", 1));
    }
}
