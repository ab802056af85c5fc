using BenchmarkDotNet.Attributes;
using TopGun.Core.Clock;
using TopGun.Core.Merkle;

namespace TopGun.Benchmarks;

/// <summary>Re-hashing keys the tree already holds, the steady-state write path; expected to allocate nothing.</summary>
[MemoryDiagnoser]
public class MerkleBenchmarks
{
    private const int Keys = 10_000;

    private string[] _keys = [];
    private LwwMerkleTree _tree = null!;
    private Timestamp _a;
    private Timestamp _b;
    private bool _flip;

    [GlobalSetup]
    public void Setup()
    {
        _keys = Enumerable.Range(0, Keys).Select(i => "todo-" + i).ToArray();
        _a = new Timestamp(1_700_000_000_123, 4, "server-1");
        _b = new Timestamp(1_700_000_000_456, 0, "client-7");
        _tree = new LwwMerkleTree();
        foreach (var key in _keys) _tree.Update(key, _a);
    }

    [Benchmark(OperationsPerInvoke = Keys)]
    public uint UpdateExistingKey()
    {
        // Alternate timestamps so every update changes the hash instead of writing the same value back.
        var ts = (_flip = !_flip) ? _b : _a;
        foreach (var key in _keys) _tree.Update(key, ts);
        return _tree.RootHash;
    }
}
