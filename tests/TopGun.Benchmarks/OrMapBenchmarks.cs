using BenchmarkDotNet.Attributes;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Values;

namespace TopGun.Benchmarks;

/// <summary>
/// Local adds and remote merges over an OR map of 5,000 keys that each hold one record. Every add or
/// merge grows its key, so each iteration starts from a freshly built map to keep the work per
/// operation the same; the rebuild is not measured.
/// </summary>
[MemoryDiagnoser]
public class OrMapBenchmarks
{
    private const int Keys = 5_000;

    private string[] _keys = [];
    private Value _value = Value.Null;
    private OrMap _map = null!;
    private OrMapRecord[][] _remote = [];
    private string[][] _noTombstones = [];
    private long _nextMillis;

    [GlobalSetup]
    public void Setup()
    {
        _keys = Enumerable.Range(0, Keys).Select(i => "tag-set-" + i).ToArray();
        _value = Value.Of("blue");
        _remote = new OrMapRecord[Keys][];
        _noTombstones = Enumerable.Range(0, Keys).Select(_ => Array.Empty<string>()).ToArray();
    }

    [IterationSetup]
    public void BuildMap()
    {
        _map = new OrMap(new Hlc("server-1"));
        foreach (var key in _keys) _map.Add(key, _value);
        _nextMillis = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1, _nextMillis + 1);
        for (var i = 0; i < Keys; i++)
        {
            var ts = new Timestamp(_nextMillis, i, "client-7");
            _remote[i] = [new OrMapRecord(Value.Of("green"), ts, ts.ToString())];
        }
    }

    [Benchmark(OperationsPerInvoke = Keys)]
    public OrMapRecord Add()
    {
        OrMapRecord last = null!;
        foreach (var key in _keys) last = _map.Add(key, _value);
        return last;
    }

    [Benchmark(OperationsPerInvoke = Keys)]
    public int MergeKey()
    {
        var changed = 0;
        for (var i = 0; i < _keys.Length; i++)
            if (_map.MergeKey(_keys[i], _remote[i], _noTombstones[i]).Added.Count > 0) changed++;
        return changed;
    }
}
