using System.Buffers.Binary;
using TopGun.Core.Protocol;
using TopGun.Core.Values;

namespace TopGun.Core.Tests.Protocol;

public sealed class BatchFrameTests
{
    [Fact]
    public void Already_encoded_messages_are_framed_with_little_endian_counts_and_lengths()
    {
        var ping = WireCodec.Encode(new PingMessage(5));
        var ack = WireCodec.Encode(new AuthAckMessage());
        using var batch = new BatchFrameWriter();
        batch.Add(ping);
        batch.Add(ack);
        var frame = batch.ToFrame();

        Assert.True(WireCodec.Default.TryDecode(new ReadOnlyMemory<byte>(frame), out var decoded, out var error), error?.ToString());
        var messages = Assert.IsType<BatchMessage>(decoded).Messages;
        Assert.Equal([new PingMessage(5), new AuthAckMessage()], messages.ToArray());

        // data = u32 LE count, then u32 LE length + bytes per message, right after the bin header.
        var data = frame.AsSpan(frame.Length - (4 + 4 + ping.Length + 4 + ack.Length));
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(data));
        Assert.Equal((uint)ping.Length, BinaryPrimitives.ReadUInt32LittleEndian(data[4..]));
    }

    [Fact]
    public void Adding_a_message_encodes_it_exactly_like_encode()
    {
        var message = MessageSamples.All.First(m => m is OpBatchMessage);
        using var direct = new BatchFrameWriter(64);
        direct.Add(message);
        using var preEncoded = new BatchFrameWriter();
        preEncoded.Add(WireCodec.Encode(message));
        Assert.Equal(preEncoded.ToFrame(), direct.ToFrame());
    }

    [Fact]
    public void Nested_batches_are_unwrapped_into_one_flat_list()
    {
        using var inner = new BatchFrameWriter();
        inner.Add(new PingMessage(1));
        inner.Add(new PingMessage(2));
        using var outer = new BatchFrameWriter();
        outer.Add(inner.ToFrame());
        outer.Add(new PingMessage(3));

        Assert.True(WireCodec.Default.TryDecode(new ReadOnlyMemory<byte>(outer.ToFrame()), out var decoded, out _));
        Assert.Equal([new PingMessage(1), new PingMessage(2), new PingMessage(3)], ((BatchMessage)decoded!).Messages.ToArray());
    }

    [Fact]
    public void Reset_starts_a_new_batch_on_the_same_buffer()
    {
        using var batch = new BatchFrameWriter();
        batch.Add(new PingMessage(1));
        batch.Reset();
        batch.Add(new PingMessage(2));
        Assert.Equal(1, batch.Count);
        Assert.True(WireCodec.Default.TryDecode(new ReadOnlyMemory<byte>(batch.ToFrame()), out var decoded, out _));
        Assert.Equal(new PingMessage(2), Assert.Single(((BatchMessage)decoded!).Messages));
    }

    [Theory]
    [InlineData(0, 0x09u)] // count claims 9 messages
    [InlineData(4, 0xffffu)] // first length runs past the data
    public void A_corrupt_batch_is_a_decode_error_naming_the_data(int offset, uint value)
    {
        using var batch = new BatchFrameWriter();
        batch.Add(new PingMessage(1));
        var frame = batch.ToFrame();
        var dataStart = frame.Length - batch.DataLength;
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(dataStart + offset), value);

        Assert.False(WireCodec.Default.TryDecode(new ReadOnlyMemory<byte>(frame), out _, out var error));
        Assert.Equal(DecodeErrorKind.InvalidMessage, error!.Kind);
        Assert.Equal("BATCH", error.MessageType);
        Assert.StartsWith("data", error.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_message_inside_a_batch_reports_its_index_and_field()
    {
        using var batch = new BatchFrameWriter();
        batch.Add(new PingMessage(1));
        batch.Add(ValueCodecBytes.Ping("late"));
        Assert.False(WireCodec.Default.TryDecode(new ReadOnlyMemory<byte>(batch.ToFrame()), out _, out var error));
        Assert.Equal("data[1].timestamp", error!.Path);
    }

    private static class ValueCodecBytes
    {
        public static byte[] Ping(string timestamp) =>
            ValueCodec.Serialize(Value.Map(("type", "PING"), ("timestamp", timestamp)));
    }
}
