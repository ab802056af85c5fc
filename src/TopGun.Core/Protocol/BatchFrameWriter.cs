using System.Buffers;
using System.Buffers.Binary;
using MessagePack;

namespace TopGun.Core.Protocol;

/// <summary>
/// Builds a BATCH frame (<c>{type:'BATCH', count, data}</c>, data = u32 LE count, then per message
/// u32 LE length + its bytes) from messages that are usually already encoded, e.g. one event fanned
/// out to many sockets: the bytes are copied once into a pooled buffer, never re-encoded.
/// Not thread-safe; dispose to return the buffer to the pool.
/// </summary>
public sealed class BatchFrameWriter : IDisposable
{
    private readonly Sink _sink;
    private byte[] _buffer;
    private int _length;

    public BatchFrameWriter(int initialCapacity = 4096)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 64));
        _sink = new Sink(this);
        Reset();
    }

    /// <summary>Messages added since the last reset.</summary>
    public int Count { get; private set; }

    /// <summary>Size of the <c>data</c> payload so far (for the coalescing byte limit).</summary>
    public int DataLength => _length;

    public void Reset()
    {
        Count = 0;
        _length = 4;
    }

    /// <summary>Appends one already encoded message.</summary>
    public void Add(ReadOnlySpan<byte> encodedMessage)
    {
        Ensure(4 + encodedMessage.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_length), (uint)encodedMessage.Length);
        encodedMessage.CopyTo(_buffer.AsSpan(_length + 4));
        _length += 4 + encodedMessage.Length;
        Count++;
    }

    /// <summary>Encodes a message straight into the batch.</summary>
    public void Add(Message message)
    {
        var start = _length;
        Ensure(4);
        _length += 4;
        var writer = new MessagePackWriter(_sink);
        message.Write(ref writer);
        writer.Flush();
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(start), (uint)(_length - start - 4));
        Count++;
    }

    /// <summary>Writes the complete BATCH frame.</summary>
    public void WriteTo(IBufferWriter<byte> output)
    {
        var writer = new MessagePackWriter(output);
        WriteFrame(ref writer);
        writer.Flush();
    }

    public byte[] ToFrame()
    {
        var output = new ArrayBufferWriter<byte>(_length + 32);
        WriteTo(output);
        return output.WrittenSpan.ToArray();
    }

    internal void WriteFrame(ref MessagePackWriter w)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer, (uint)Count);
        WireWriter.Begin(ref w, 3, "BATCH"u8);
        WireWriter.Num(ref w, "count"u8, Count);
        WireWriter.Key(ref w, "data"u8);
        w.Write(new ReadOnlySpan<byte>(_buffer, 0, _length));
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }

    private void Ensure(int extra)
    {
        if (_length + extra <= _buffer.Length) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + extra));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    private sealed class Sink(BatchFrameWriter owner) : IBufferWriter<byte>
    {
        public void Advance(int count) => owner._length += count;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            owner.Ensure(Math.Max(sizeHint, 256));
            return owner._buffer.AsMemory(owner._length);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            owner.Ensure(Math.Max(sizeHint, 256));
            return owner._buffer.AsSpan(owner._length);
        }
    }
}
