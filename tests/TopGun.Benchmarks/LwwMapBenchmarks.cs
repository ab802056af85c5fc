using BenchmarkDotNet.Attributes;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Values;

namespace TopGun.Benchmarks;

/// <summary>
/// Set, get and merge over an LWW map of 10,000 keys, one operation per key per invocation, so the
/// reported mean is per operation. The map runs on the system clock, as on a server.
/// </summary>
// Min and median next to the mean: on a shared machine the quietest iteration says the most.
[MemoryDiagnoser, MinColumn, MedianColumn]
public class LwwMapBenchmarks
{
    private const int Keys = 10_000;

    private string[] _keys = [];
    private Value _value = Value.Null;
    private LwwMap _map = null!;
    private LwwRecord[] _remote = [];
    private LwwRecord[] _stale = [];
    private long _nextMillis;

    [GlobalSetup(Targets = [nameof(Set), nameof(Get), nameof(MergeStale)])]
    public void Setup()
    {
        _keys = Enumerable.Range(0, Keys).Select(i => "todo-" + i).ToArray();
        _value = Value.Map(("title", "buy milk"), ("done", false), ("priority", 3));
        _map = new LwwMap(new Hlc("server-1"));
        foreach (var key in _keys) _map.Set(key, _value);
        // Far in the past, so merging them never wins: the cheapest, most common replay case.
        _stale = _keys.Select(_ => new LwwRecord(_value, new Timestamp(1, 0, "client-7"))).ToArray();
        _remote = new LwwRecord[Keys];
    }

    /// <summary>
    /// With an iteration setup BenchmarkDotNet runs one invocation per iteration, so the short job
    /// measures after only four calls: the merge path would still run as tier-0 code, which no
    /// long-lived server does. Winning merges for a while first let the JIT promote it.
    /// </summary>
    [GlobalSetup(Target = nameof(MergeWinning))]
    public void SetupAndWarmUpMerge()
    {
        Setup();
        var warmUp = System.Diagnostics.Stopwatch.StartNew();
        while (warmUp.ElapsedMilliseconds < 1_500)
        {
            PrepareWinningRecords();
            MergeWinning();
        }
    }

    /// <summary>Fresh records newer than everything in the map, so every merge wins and writes.</summary>
    [IterationSetup(Target = nameof(MergeWinning))]
    public void PrepareWinningRecords()
    {
        // Past the wall clock (which bounds what Set wrote) and past the previous round.
        _nextMillis = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1, _nextMillis + 1);
        for (var i = 0; i < Keys; i++) _remote[i] = new LwwRecord(_value, new Timestamp(_nextMillis, i, "client-7"));
    }

    [Benchmark(OperationsPerInvoke = Keys)]
    public LwwRecord Set()
    {
        LwwRecord last = null!;
        foreach (var key in _keys) last = _map.Set(key, _value);
        return last;
    }

    [Benchmark(OperationsPerInvoke = Keys)]
    public int Get()
    {
        var live = 0;
        foreach (var key in _keys)
            if (_map.Get(key) is not null) live++;
        return live;
    }

    [Benchmark(OperationsPerInvoke = Keys)]
    public int MergeWinning()
    {
        var changed = 0;
        for (var i = 0; i < _keys.Length; i++)
            if (_map.Merge(_keys[i], _remote[i])) changed++;
        return changed;
    }

    [Benchmark(OperationsPerInvoke = Keys)]
    public int MergeStale()
    {
        var changed = 0;
        for (var i = 0; i < _keys.Length; i++)
            if (_map.Merge(_keys[i], _stale[i])) changed++;
        return changed;
    }
}
