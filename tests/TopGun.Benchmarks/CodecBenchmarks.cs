using System.Buffers;
using BenchmarkDotNet.Attributes;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Values;

namespace TopGun.Benchmarks;

/// <summary>Which frame a codec benchmark works on.</summary>
public enum FrameKind
{
    Auth,
    ClientOp,
    OpBatch10,
    OpBatch50,
}

/// <summary>
/// Decoding a frame as the gateway receives it (a single-segment <see cref="ReadOnlySequence{T}"/>)
/// and encoding a message into a reused buffer writer. Every decode does the full work: frame
/// validation, field mapping and building the typed message with its values.
/// </summary>
// Min and median next to the mean: on a shared machine the quietest iteration says the most.
[MemoryDiagnoser, MinColumn, MedianColumn]
public class CodecBenchmarks
{
    private readonly WireCodec _codec = WireCodec.Default;
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private ReadOnlySequence<byte> _frame;
    private Message _message = null!;

    [Params(FrameKind.Auth, FrameKind.ClientOp, FrameKind.OpBatch10, FrameKind.OpBatch50)]
    public FrameKind Frame { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _message = Create(Frame);
        _frame = new ReadOnlySequence<byte>(WireCodec.Encode(_message));
        if (!_codec.TryDecode(_frame, out var decoded, out var error) || !decoded!.Equals(_message))
            throw new InvalidOperationException("The benchmark frame does not round-trip: " + error);
    }

    [Benchmark]
    public Message Decode()
    {
        _codec.TryDecode(_frame, out var message, out _);
        return message!;
    }

    [Benchmark]
    public int Encode()
    {
        _output.ResetWrittenCount();
        WireCodec.Encode(_message, _output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int DecodeAndEncode()
    {
        _codec.TryDecode(_frame, out var message, out _);
        _output.ResetWrittenCount();
        WireCodec.Encode(message!, _output);
        return _output.WrittenCount;
    }

    /// <summary>Shaped like what the TS client sends: a todo record per op, one client node id.</summary>
    internal static Message Create(FrameKind kind) => kind switch
    {
        FrameKind.Auth => new AuthMessage(
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwicm9sZXMiOlsiVVNFUiJdLCJpYXQiOjE3MDAwMDAwMDB9.c2lnbmF0dXJlLXBsYWNlaG9sZGVyLTMyLWJ5dGVz"),
        FrameKind.ClientOp => new ClientOpMessage(Op(0) with { WriteConcern = WriteConcern.Applied, Timeout = 5000 }),
        FrameKind.OpBatch10 => new OpBatchMessage(new WireList<ClientOp>(Enumerable.Range(0, 10).Select(Op).ToArray())),
        FrameKind.OpBatch50 => new OpBatchMessage(new WireList<ClientOp>(Enumerable.Range(0, 50).Select(Op).ToArray())),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static ClientOp Op(int i)
    {
        var value = Value.Map(("title", "Buy milk #" + i), ("done", i % 2 == 0), ("priority", i % 5));
        var ts = new Timestamp(1_700_000_000_123 + i, i % 3, "client-8f14e45fceea");
        return new ClientOp("todos", "todo-" + i, Id: "1700000000123-" + i, OpType: "PUT", Record: new LwwRecord(value, ts));
    }
}
