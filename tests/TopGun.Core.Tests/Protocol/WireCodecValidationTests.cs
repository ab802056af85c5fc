using System.Text;
using TopGun.Core.Protocol;
using TopGun.Core.Values;

namespace TopGun.Core.Tests.Protocol;

public sealed class WireCodecValidationTests
{
    private static DecodeError Fails(byte[] frame)
    {
        Assert.False(WireCodec.Default.TryDecode(new ReadOnlyMemory<byte>(frame), out var message, out var error));
        Assert.Null(message);
        return error!;
    }

    private static Message Decodes(byte[] frame)
    {
        Assert.True(WireCodec.Default.TryDecode(new ReadOnlyMemory<byte>(frame), out var message, out var error), error?.ToString());
        return message!;
    }

    private static byte[] Pack(Value v) => ValueCodec.Serialize(v);

    private static Value Ts(Value millis) => Value.Map(("millis", millis), ("counter", 0), ("nodeId", "n1"));

    private static Value Op(int i, Value millis) => Value.Map(("id", "op-" + i), ("mapName", "todos"), ("key", "k" + i),
        ("record", Value.Map(("value", "v"), ("timestamp", Ts(millis)))));

    [Fact]
    public void A_bad_nested_field_is_named_by_its_full_path()
    {
        var ops = Enumerable.Range(0, 5).Select(i => Op(i, i == 3 ? "soon" : 1700000000000)).ToArray();
        var error = Fails(Pack(Value.Map(("type", "OP_BATCH"), ("payload", Value.Map(("ops", Value.Array(ops)))))));

        Assert.Equal(DecodeErrorKind.InvalidMessage, error.Kind);
        Assert.Equal("OP_BATCH", error.MessageType);
        Assert.Equal("payload.ops[3].record.timestamp.millis", error.Path);
        Assert.Equal("expected number", error.Reason);
        Assert.Equal("OP_BATCH payload.ops[3].record.timestamp.millis: expected number", error.ToString());
    }

    [Theory]
    [InlineData(-1d, "expected non-negative integer")]
    [InlineData(1.5d, "expected non-negative integer")]
    [InlineData(double.NaN, "expected non-negative integer")]
    [InlineData(double.PositiveInfinity, "expected non-negative integer")]
    public void Timestamp_millis_must_be_a_finite_non_negative_integer(double millis, string reason)
    {
        var error = Fails(Pack(Value.Map(("type", "CLIENT_OP"), ("payload", Op(0, millis)))));
        Assert.Equal("payload.record.timestamp.millis", error.Path);
        Assert.Equal(reason, error.Reason);
    }

    [Fact]
    public void Missing_required_fields_are_reported_as_required()
    {
        var error = Fails(Pack(Value.Map(("type", "CLIENT_OP"), ("payload", Value.Map(("mapName", "todos"))))));
        Assert.Equal(DecodeErrorKind.InvalidMessage, error.Kind);
        Assert.Equal("payload.key", error.Path);
        Assert.Equal("required", error.Reason);
    }

    [Fact]
    public void An_op_with_wrong_types_is_an_invalid_message_not_a_protocol_error()
    {
        var error = Fails(Pack(Value.Map(("type", "CLIENT_OP"), ("payload", Value.Map(("mapName", 5), ("key", "k"))))));
        Assert.Equal(DecodeErrorKind.InvalidMessage, error.Kind);
        Assert.Equal("payload.mapName: expected string", error.Path + ": " + error.Reason);
    }

    [Fact]
    public void Unknown_write_concern_names_the_allowed_levels()
    {
        var payload = Value.Map(("ops", Value.Array()), ("writeConcern", "SOMETIMES"));
        var error = Fails(Pack(Value.Map(("type", "OP_BATCH"), ("payload", payload))));
        Assert.Equal("payload.writeConcern", error.Path);
        Assert.Contains("PERSISTED", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0xc1 })]
    [InlineData(new byte[] { 0x92, 0x01 })]
    [InlineData(new byte[] { 0xde, 0x00, 0x01, 0xa4 })]
    [InlineData(new byte[] { 0x01, 0x02 })]
    [InlineData(new byte[0])]
    public void Garbage_is_not_a_protocol_frame(byte[] frame)
    {
        Assert.Equal(DecodeErrorKind.NotAProtocolFrame, Fails(frame).Kind);
    }

    [Fact]
    public void Valid_msgpack_that_is_not_an_object_is_an_invalid_message()
    {
        Assert.Equal(DecodeErrorKind.InvalidMessage, Fails([0x93, 0x01, 0x02, 0x03]).Kind);
        var noType = Fails(Pack(Value.Map(("payload", Value.Map()))));
        Assert.Equal(("type", "required"), (noType.Path, noType.Reason));
    }

    [Fact]
    public void Unknown_types_are_reported_with_their_name()
    {
        var error = Fails(Pack(Value.Map(("type", "HELLO_THERE"))));
        Assert.Equal(DecodeErrorKind.UnknownType, error.Kind);
        Assert.Equal("HELLO_THERE", error.MessageType);
    }

    [Fact]
    public void A_type_that_is_not_first_in_the_map_is_still_found()
    {
        var frame = Pack(Value.Map(("payload", Value.Map(("topic", "news"))), ("type", "TOPIC_SUB")));
        Assert.Equal(new TopicSubMessage("news"), Decodes(frame));
    }

    [Fact]
    public void Unknown_keys_are_ignored_and_undefined_fields_are_absent()
    {
        // {type:'SYNC_INIT', mapName:'todos', lastSyncTimestamp: undefined, extra: [1]} as msgpackr packs it.
        var frame = Bytes.Hex("de0004 a474797065 a953594e435f494e4954 a76d61704e616d65 a5746f646f73 b16c61737453796e6354696d657374616d70 d40000 a56578747261 9101");
        Assert.Equal(new SyncInitMessage("todos"), Decodes(frame));
    }

    [Fact]
    public void Sixty_four_bit_and_float32_numbers_are_accepted_for_timestamps()
    {
        // PING {timestamp: uint64 1700000000123}
        var frame = Bytes.Hex("82 a474797065 a450494e47 a974696d657374616d70 cf 0000018bcfe5687b");
        Assert.Equal(new PingMessage(1700000000123), Decodes(frame));
        // PING {timestamp: float32 2.5}
        Assert.Equal(new PingMessage(2.5), Decodes(Bytes.Hex("82 a474797065 a450494e47 a974696d657374616d70 ca 40200000")));
    }

    [Fact]
    public void Timestamp_extension_values_are_rejected_by_path()
    {
        var frame = Bytes.Hex("82 a474797065 a9544f5049435f505542 a77061796c6f6164 82 a5746f706963 a161 a464617461 d6ff00000001");
        var error = Fails(frame);
        Assert.Equal(DecodeErrorKind.InvalidMessage, error.Kind);
        Assert.Equal("payload.data", error.Path);
        Assert.Contains("timestamp extension", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_JSON_text_frame_decodes_through_the_same_mapping()
    {
        var json = """{"type":"CLIENT_OP","payload":{"mapName":"todos","key":"t1","record":{"value":{"title":"a"},"timestamp":{"millis":1700000000123,"counter":1,"nodeId":"c1"}}}}"""u8.ToArray();
        var expected = new ClientOpMessage(new ClientOp("todos", "t1", Record: new(Value.Map(("title", "a")), new(1700000000123, 1, "c1"))));

        Assert.True(WireCodec.Default.TryDecodeJson(json, out var viaJson, out var e1), e1?.ToString());
        Assert.Equal(expected, viaJson);
        Assert.Equal(expected, Decodes(json));
    }

    [Fact]
    public void Invalid_JSON_messages_get_the_same_field_errors()
    {
        var json = Encoding.UTF8.GetBytes("""{"type":"PING","timestamp":"now"}""");
        var error = Fails(json);
        Assert.Equal(DecodeErrorKind.InvalidMessage, error.Kind);
        Assert.Equal("timestamp", error.Path);
    }

    [Fact]
    public void Text_that_is_neither_msgpack_nor_json_is_not_a_protocol_frame()
    {
        Assert.Equal(DecodeErrorKind.NotAProtocolFrame, Fails(Encoding.UTF8.GetBytes("{\"type\": ")).Kind);
        Assert.False(WireCodec.Default.TryDecodeJson("hello"u8, out _, out var error));
        Assert.Equal(DecodeErrorKind.NotAProtocolFrame, error!.Kind);
    }

    [Fact]
    public void A_frame_claiming_four_billion_elements_fails_without_allocating_them()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(DecodeErrorKind.NotAProtocolFrame, Fails([0xdd, 0xff, 0xff, 0xff, 0xff, 0xc0]).Kind);
        Assert.Equal(DecodeErrorKind.NotAProtocolFrame, Fails(Bytes.Hex("82 a474797065 a450494e47 a3617272 dd ffffffff c0")).Kind);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000);
    }

    [Fact]
    public void Nesting_beyond_the_depth_limit_is_an_invalid_message()
    {
        var frame = new byte[200];
        Array.Fill(frame, (byte)0x91);
        frame[^1] = 0xc0;
        Assert.Equal(DecodeErrorKind.InvalidMessage, Fails(frame).Kind);
    }

    [Fact]
    public void Collections_larger_than_the_limit_are_rejected()
    {
        var codec = new WireCodec(new DecodeLimits { MaxCollectionLength = 3 });
        var frame = Pack(Value.Map(("type", "ORMAP_DIFF_REQUEST"), ("payload", Value.Map(("mapName", "m"), ("keys", Value.Array("a", "b", "c", "d"))))));
        Assert.False(codec.TryDecode(new ReadOnlyMemory<byte>(frame), out _, out var error));
        Assert.Equal(DecodeErrorKind.InvalidMessage, error!.Kind);
    }

    [Fact]
    public void Counter_state_in_the_TS_clients_positive_negative_shape_is_accepted()
    {
        var state = Value.Map(("positive", Value.Map(("a", 2))), ("negative", Value.Map(("b", 1))));
        var frame = Pack(Value.Map(("type", "COUNTER_SYNC"), ("payload", Value.Map(("name", "likes"), ("state", state)))));
        var message = Assert.IsType<CounterSyncMessage>(Decodes(frame));
        Assert.True(message.State.P.TryGetValue("a", out var p) && p == 2);
        Assert.True(message.State.N.TryGetValue("b", out var n) && n == 1);
    }
}
