using TopGun.Core.Protocol;
using TopGun.Core.Tests.Protocol;
using TopGun.Core.Values;

namespace TopGun.Core.Tests.CrossCheck;

/// <summary>Frames packed by the real msgpackr, as the TS peers build them, decode into the expected typed messages.</summary>
public sealed class MsgpackrToCodecTests(MsgpackrPackedSamples packed) : IClassFixture<MsgpackrPackedSamples>
{
    // Samples whose JS literal has the same keys in the same order as our encoder and no undefined fields.
    private static readonly string[] ByteIdentical =
    [
        "AUTH_REQUIRED", "AUTH_FAIL", "PING", "PONG", "ERROR", "CLIENT_OP", "OP_ACK", "SERVER_EVENT", "SYNC_RESP_ROOT",
        "SYNC_RESP_LEAF", "ORMAP_SYNC_RESP_LEAF", "QUERY_UPDATE", "TOPIC_PUB", "TOPIC_MESSAGE", "MERGE_REJECTED", "SYNC_INIT",
    ];

    public static TheoryData<string> Types()
    {
        var data = new TheoryData<string>();
        foreach (var t in WireCodec.KnownTypes) data.Add(t);
        return data;
    }

    private Message Decode(string type)
    {
        Assert.True(packed.Frames.TryGetValue(type, out var frame), $"pack-samples.js has no {type} sample");
        Assert.True(WireCodec.Default.TryDecode(new ReadOnlyMemory<byte>(frame), out var message, out var error), error?.ToString());
        return message!;
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void A_msgpackr_frame_of_every_type_decodes_to_the_expected_message(string type)
    {
        var expected = MessageSamples.All.Single(m => m.Type == type);
        Assert.Equal(expected, Decode(type));
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Messages_whose_key_order_matches_encode_to_msgpackrs_exact_bytes(string type)
    {
        if (!ByteIdentical.Contains(type)) return;
        var expected = MessageSamples.All.Single(m => m.Type == type);
        Assert.Equal(Bytes.ToHex(packed.Frames[type]), Bytes.ToHex(WireCodec.Encode(expected)));
    }

    [Fact]
    public void Op_batch_fields_arrive_typed_with_undefined_fields_absent()
    {
        var batch = Assert.IsType<OpBatchMessage>(Decode("OP_BATCH"));
        Assert.Equal(5, batch.Ops.Count);
        Assert.Equal(WriteConcern.Applied, batch.WriteConcern);
        var first = batch.Ops[0];
        Assert.Equal(1700000000123L, first.Record!.Timestamp.Millis);
        Assert.Equal(2, first.Record.Timestamp.Counter);
        Assert.Equal("node-a", first.Record.Timestamp.NodeId);
        Assert.Equal(Value.Of("buy milk"), first.Record.Value["title"]);
        Assert.True(batch.Ops[1].Record!.IsTombstone);
        Assert.Null(batch.Ops[3].Record);
        Assert.Equal("1700000000123:2:node-a", batch.Ops[3].OrTag);
        Assert.Equal(60000L, batch.Ops[4].Record!.TtlMs);
    }

    [Fact]
    public void The_servers_batch_frame_unwraps_into_its_messages()
    {
        var batch = Assert.IsType<BatchMessage>(Decode("BATCH"));
        Assert.Equal([new PingMessage(1), new AuthAckMessage()], batch.Messages.ToArray());
    }
}
