using TopGun.Core.Protocol;
using TopGun.Core.Values;

namespace TopGun.Core.Tests.Protocol;

public sealed class ValueCodecTests
{
    [Theory]
    [InlineData(0d, "00")]
    [InlineData(127d, "7f")]
    [InlineData(128d, "cc80")]
    [InlineData(255d, "ccff")]
    [InlineData(256d, "cd0100")]
    [InlineData(65536d, "ce00010000")]
    [InlineData(4294967295d, "ceffffffff")]
    [InlineData(4294967296d, "cb41f0000000000000")]
    [InlineData(-1d, "ff")]
    [InlineData(-32d, "e0")]
    [InlineData(-33d, "d0df")]
    [InlineData(-129d, "d1ff7f")]
    [InlineData(-32769d, "d2ffff7fff")]
    [InlineData(-2147483649d, "cbc1e0000000200000")]
    [InlineData(1.5d, "cb3ff8000000000000")]
    [InlineData(1700000000123d, "cb4278bcfe5687b000")]
    public void Numbers_are_written_as_msgpackr_writes_JS_numbers(double number, string hex)
    {
        Assert.Equal(hex, Bytes.ToHex(ValueCodec.Serialize(Value.Of(number))));
    }

    [Fact]
    public void Negative_zero_is_written_as_integer_zero() =>
        Assert.Equal("00", Bytes.ToHex(ValueCodec.Serialize(Value.Of(-0.0))));

    [Fact]
    public void Maps_always_use_a_map16_header_even_when_small_or_empty()
    {
        Assert.Equal("de0000", Bytes.ToHex(ValueCodec.Serialize(Value.Map())));
        Assert.Equal("de0001a161c3", Bytes.ToHex(ValueCodec.Serialize(Value.Map(("a", true)))));
    }

    [Fact]
    public void Strings_use_the_smallest_header_for_their_UTF8_length()
    {
        Assert.Equal("a3c3a97a", Bytes.ToHex(ValueCodec.Serialize(Value.Of("éz"))));
        var s32 = new string('x', 32);
        Assert.StartsWith("d920", Bytes.ToHex(ValueCodec.Serialize(Value.Of(s32))), StringComparison.Ordinal);
        Assert.StartsWith("da0100", Bytes.ToHex(ValueCodec.Serialize(Value.Of(new string('x', 256)))), StringComparison.Ordinal);
    }

    [Fact]
    public void Arrays_and_bytes_use_msgpack_array_and_bin_families()
    {
        Assert.Equal("92c0c2", Bytes.ToHex(ValueCodec.Serialize(Value.Array(Value.Null, Value.False))));
        Assert.Equal("c4020102", Bytes.ToHex(ValueCodec.Serialize(Value.Of(new byte[] { 1, 2 }))));
        var sixteen = Enumerable.Repeat(Value.Null, 16).ToArray();
        Assert.StartsWith("dc0010", Bytes.ToHex(ValueCodec.Serialize(Value.Array(sixteen))), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("81a16101", 1d)] // fixmap
    [InlineData("de0001a16101", 1d)] // map16
    [InlineData("df00000001a16101", 1d)] // map32
    [InlineData("81a161cf0000000000000005", 5d)] // uint64
    [InlineData("81a161d3fffffffffffffffb", -5d)] // int64
    [InlineData("81a161ca3fc00000", 1.5d)] // float32
    [InlineData("81a161d200000007", 7d)] // int32
    public void Any_map_header_and_number_width_reads_as_a_number(string hex, double expected)
    {
        var value = ValueCodec.Deserialize(Bytes.Hex(hex));
        Assert.Equal(Value.Map(("a", expected)), value);
    }

    [Fact]
    public void Undefined_drops_a_map_entry_and_becomes_null_in_an_array()
    {
        var value = ValueCodec.Deserialize(Bytes.Hex("82a161d40000a162 92 01 d40000"));
        Assert.Equal(Value.Map(("b", Value.Array(Value.Of(1), Value.Null))), value);
    }

    [Fact]
    public void Integer_map_keys_become_their_JS_string_form()
    {
        var value = ValueCodec.Deserialize(Bytes.Hex("82 01 a178 ff a179"));
        Assert.Equal(Value.Map(("1", "x"), ("-1", "y")), value);
    }

    [Theory]
    [InlineData("d6ff00000000", "timestamp extension")]
    [InlineData("d40501", "extension type 5")]
    [InlineData("81c3a161", "object key must be a string")]
    public void Unsupported_values_are_rejected_with_a_clear_reason(string hex, string reason)
    {
        var e = Assert.Throws<FormatException>(() => ValueCodec.Deserialize(Bytes.Hex(hex)));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_round_trip_through_the_codec()
    {
        var value = Value.Map(("s", "text"), ("n", -12.5), ("big", 1e300), ("list", Value.Array(1, "two", Value.Null)),
            ("nested", Value.Map(("b", Value.Of(new byte[] { 0, 255 })))), ("t", true));
        Assert.Equal(value, ValueCodec.Deserialize(ValueCodec.Serialize(value)));
    }
}
