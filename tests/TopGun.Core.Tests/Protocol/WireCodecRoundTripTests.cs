using TopGun.Core.Protocol;

namespace TopGun.Core.Tests.Protocol;

public sealed class WireCodecRoundTripTests
{
    public static TheoryData<string> SampleTypes()
    {
        var data = new TheoryData<string>();
        foreach (var m in MessageSamples.All) data.Add(m.Type);
        return data;
    }

    [Fact]
    public void Samples_cover_every_message_type_of_the_catalogue()
    {
        var sampled = MessageSamples.All.Select(m => m.Type).ToHashSet();
        var missing = WireCodec.KnownTypes.Where(t => !sampled.Contains(t)).ToList();
        Assert.Empty(missing);
        Assert.Equal(69, WireCodec.KnownTypes.Count);
    }

    [Theory]
    [MemberData(nameof(SampleTypes))]
    public void Every_message_type_survives_encode_then_decode(string type)
    {
        var message = MessageSamples.All.Single(m => m.Type == type);
        var bytes = WireCodec.Encode(message);

        Assert.True(WireCodec.Default.TryDecode(new ReadOnlyMemory<byte>(bytes), out var decoded, out var error), error?.ToString());
        Assert.Equal(message, decoded);
        Assert.Equal(bytes, WireCodec.Encode(decoded!));
    }

    [Fact]
    public void Encoding_into_a_buffer_writer_matches_the_array_form()
    {
        var message = MessageSamples.All.First(m => m is OpBatchMessage);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        WireCodec.Encode(message, buffer);
        Assert.Equal(WireCodec.Encode(message), buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Multi_segment_frames_decode_like_contiguous_ones()
    {
        var bytes = WireCodec.Encode(MessageSamples.All.First(m => m is OpBatchMessage));
        var sequence = Segments.Split(bytes, 7);
        Assert.False(sequence.IsSingleSegment);
        Assert.True(WireCodec.Default.TryDecode(sequence, out var decoded, out var error), error?.ToString());
        Assert.Equal(MessageSamples.All.First(m => m is OpBatchMessage), decoded);
    }

    [Fact]
    public void Absent_optional_fields_are_omitted_not_sent_as_undefined_or_null()
    {
        var bytes = WireCodec.Encode(new ClientOpMessage(new ClientOp("m", "k")));
        Assert.DoesNotContain((byte)0xD4, bytes);
        Assert.DoesNotContain((byte)0xC0, bytes);
        Assert.True(WireCodec.Default.TryDecode(new ReadOnlyMemory<byte>(bytes), out var decoded, out _));
        var op = ((ClientOpMessage)decoded!).Op;
        Assert.Null(op.Record);
        Assert.Null(op.Id);
        Assert.Null(op.WriteConcern);
    }
}
