using System.Buffers;
using System.Buffers.Binary;
using MessagePack;

namespace TopGun.Core.Protocol;

/// <summary>
/// Decodes and encodes TopGun v2 frames (protocol.md §1, §2, §4). Decoding never throws: every failure
/// is a <see cref="DecodeError"/> whose <see cref="DecodeError.Kind"/> tells the connection whether to
/// close (not a protocol frame), reply ERROR 400 (invalid message) or treat the type as unknown.
/// Thread-safe.
/// </summary>
public sealed class WireCodec
{
    public static WireCodec Default { get; } = new(DecodeLimits.Default);

    public WireCodec(DecodeLimits limits) => Limits = limits ?? throw new ArgumentNullException(nameof(limits));

    public DecodeLimits Limits { get; }

    /// <summary>Every envelope type this codec knows.</summary>
    public static IReadOnlyCollection<string> KnownTypes => MessageReaders.KnownTypes;

    /// <summary>Decodes a binary frame; a frame that is not MessagePack is tried as UTF-8 JSON.</summary>
    public bool TryDecode(ReadOnlySequence<byte> frame, out Message? message, out DecodeError? error)
    {
        if (frame.IsSingleSegment) return TryDecode(frame.First, out message, out error);
        var length = frame.Length;
        if (length > int.MaxValue)
        {
            message = null;
            error = new DecodeError(DecodeErrorKind.NotAProtocolFrame, null, "", "frame too large");
            return false;
        }
        var rented = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            frame.CopyTo(rented);
            return TryDecode(new ReadOnlyMemory<byte>(rented, 0, (int)length), out message, out error, copyBytes: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Decodes a binary frame held in one buffer.</summary>
    public bool TryDecode(ReadOnlyMemory<byte> frame, out Message? message, out DecodeError? error) =>
        TryDecode(frame, out message, out error, copyBytes: false);

    /// <summary>Decodes a JSON text frame (the client-to-server fallback encoding).</summary>
    public bool TryDecodeJson(ReadOnlySpan<byte> utf8, out Message? message, out DecodeError? error)
    {
        message = null;
        try
        {
            if (!JsonValueReader.TryRead(utf8, Limits, out var value) || value is null)
            {
                error = new DecodeError(DecodeErrorKind.NotAProtocolFrame, null, "", "not valid JSON");
                return false;
            }
            // Re-encoding keeps a single field mapper: JSON differs from MessagePack only in syntax.
            var bytes = ValueCodec.Serialize(value);
            return DecodeMessagePack(bytes, 0, out message, out error);
        }
        catch (Exception e)
        {
            error = new DecodeError(DecodeErrorKind.NotAProtocolFrame, null, "", "undecodable JSON frame: " + e.GetType().Name);
            return false;
        }
    }

    public static void Encode(Message message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(message);
        var writer = new MessagePackWriter(output);
        message.Write(ref writer);
        writer.Flush();
    }

    public static byte[] Encode(Message message)
    {
        var output = new ArrayBufferWriter<byte>(256);
        Encode(message, output);
        return output.WrittenSpan.ToArray();
    }

    private bool TryDecode(ReadOnlyMemory<byte> frame, out Message? message, out DecodeError? error, bool copyBytes)
    {
        message = null;
        try
        {
            var shape = FrameValidator.Check(frame.Span, Limits);
            if (shape == FrameShape.Malformed)
            {
                if (TryDecodeJson(frame.Span, out message, out error)) return true;
                if (error!.Kind != DecodeErrorKind.NotAProtocolFrame) return false;
                error = new DecodeError(DecodeErrorKind.NotAProtocolFrame, null, "", "neither MessagePack nor JSON");
                return false;
            }
            // Values keep no reference to the frame except binary data, which ValueCodec copies; a
            // pooled copy of a multi-segment frame is therefore safe to return after decoding.
            _ = copyBytes;
            return DecodeMessagePack(frame, 0, out message, out error, shape);
        }
        catch (Exception e)
        {
            error = new DecodeError(DecodeErrorKind.NotAProtocolFrame, null, "", "undecodable frame: " + e.GetType().Name);
            return false;
        }
    }

    private bool DecodeMessagePack(ReadOnlyMemory<byte> frame, int batchNesting, out Message? message, out DecodeError? error, FrameShape? knownShape = null)
    {
        message = null;
        var shape = knownShape ?? FrameValidator.Check(frame.Span, Limits);
        switch (shape)
        {
            case FrameShape.Malformed:
                error = new DecodeError(DecodeErrorKind.NotAProtocolFrame, null, "", "not a MessagePack frame");
                return false;
            case FrameShape.TooDeep:
                error = new DecodeError(DecodeErrorKind.InvalidMessage, null, "", "nested deeper than " + Limits.MaxDepth + " levels");
                return false;
            case FrameShape.TooLong:
                error = new DecodeError(DecodeErrorKind.InvalidMessage, null, "", "a collection exceeds " + Limits.MaxCollectionLength + " elements");
                return false;
        }

        var ctx = DecodeContext.Rent(Limits);
        string? type = null;
        try
        {
            var r = new WireReader(new FrameReader(frame.Span), ctx);
            if (r.Reader.NextMessagePackType != MessagePackType.Map)
            {
                error = new DecodeError(DecodeErrorKind.InvalidMessage, null, "", "expected an object with a type");
                return false;
            }
            type = MessageReaders.PeekType(ref r, out var read, out var unknown);
            if (type is null)
            {
                error = new DecodeError(DecodeErrorKind.UnknownType, unknown, "type", "unknown message type");
                return false;
            }
            ctx.MessageType = type;
            if (read is null)
            {
                DecodeContext.Return(ctx);
                ctx = null;
                return DecodeBatch(frame, batchNesting, out message, out error);
            }
            message = read(ref r);
            error = null;
            return true;
        }
        catch (WireFormatException e)
        {
            error = new DecodeError(e.Kind, type, e.Path, e.Reason);
            return false;
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or OverflowException or InvalidOperationException or ArgumentException or FormatException or IndexOutOfRangeException)
        {
            error = new DecodeError(DecodeErrorKind.InvalidMessage, type, "", "malformed message: " + e.Message);
            return false;
        }
        finally
        {
            if (ctx is not null) DecodeContext.Return(ctx);
        }
    }

    private bool DecodeBatch(ReadOnlyMemory<byte> frame, int batchNesting, out Message? message, out DecodeError? error)
    {
        message = null;
        if (batchNesting >= Limits.MaxBatchNesting)
        {
            error = Batch("", "BATCH nested too deeply");
            return false;
        }
        var ctx = DecodeContext.Rent(Limits);
        ReadOnlyMemory<byte> data;
        long? declared = null;
        try
        {
            var r = new WireReader(new FrameReader(frame.Span), ctx);
            var n = r.MapHeader();
            ReadOnlyMemory<byte>? bytes = null;
            for (var i = 0; i < n; i++)
            {
                var k = r.Key();
                if (r.SkipUndefined()) continue;
                if (k.SequenceEqual("count"u8)) declared = r.NonNegInt("count");
                else if (k.SequenceEqual("data"u8))
                {
                    if (r.Reader.NextMessagePackType != MessagePackType.Binary) throw r.Fail("data", "expected binary");
                    var (offset, length) = r.Reader.ReadBytesRange();
                    bytes = frame.Slice(offset, length);
                }
                else r.Skip();
            }
            if (bytes is null) throw r.Fail("data", "required");
            data = bytes.Value;
        }
        catch (WireFormatException e)
        {
            error = new DecodeError(DecodeErrorKind.InvalidMessage, MessageTypes.Batch, e.Path, e.Reason);
            return false;
        }
        finally
        {
            DecodeContext.Return(ctx);
        }

        var span = data.Span;
        if (span.Length < 4)
        {
            error = Batch("data", "shorter than its count field");
            return false;
        }
        var count = BinaryPrimitives.ReadUInt32LittleEndian(span);
        // Each entry needs at least its 4-byte length, so a larger count cannot be honest.
        if (count > (uint)(span.Length - 4) / 4 || (declared is { } d && d != count))
        {
            error = Batch("data", "message count does not match the data");
            return false;
        }
        var messages = new List<Message>((int)count);
        var pos = 4;
        for (var i = 0; i < count; i++)
        {
            if (span.Length - pos < 4)
            {
                error = Batch($"data[{i}]", "truncated length");
                return false;
            }
            var len = BinaryPrimitives.ReadUInt32LittleEndian(span[pos..]);
            pos += 4;
            if (len > (uint)(span.Length - pos))
            {
                error = Batch($"data[{i}]", "length exceeds the data");
                return false;
            }
            if (!DecodeMessagePack(data.Slice(pos, (int)len), batchNesting + 1, out var inner, out var innerError))
            {
                var path = innerError!.Path.Length == 0 ? $"data[{i}]" : $"data[{i}].{innerError.Path}";
                var reason = innerError.MessageType is null ? innerError.Reason : innerError.MessageType + ": " + innerError.Reason;
                error = Batch(path, reason);
                return false;
            }
            if (inner is BatchMessage nested) messages.AddRange(nested.Messages);
            else messages.Add(inner!);
            pos += (int)len;
        }
        if (pos != span.Length)
        {
            error = Batch("data", "trailing bytes after the last message");
            return false;
        }
        message = new BatchMessage(new WireList<Message>(messages.ToArray()));
        error = null;
        return true;
    }

    private static DecodeError Batch(string path, string reason) => new(DecodeErrorKind.InvalidMessage, MessageTypes.Batch, path, reason);
}
