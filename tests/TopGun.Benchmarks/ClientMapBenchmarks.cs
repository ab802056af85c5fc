using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using TopGun.Client;
using TopGun.Client.Maps;
using TopGun.Core.Values;

namespace TopGun.Benchmarks;

/// <summary>
/// Local <c>Set</c> and <c>Get</c> on a client's LWW map with the in-memory store and no server, per
/// operation over 10,000 keys. <c>Set</c> includes applying the record to the replica and queuing the
/// op-log append for the background group commit (which runs on its own thread meanwhile).
/// A fresh client is built before each Set iteration (not measured), so its pending-op log never
/// reaches <c>MaxPendingOps</c>; that makes one invocation per iteration, hence 10,000 ops per invocation.
/// <c>Get</c> reads a client filled once.
/// </summary>
[Config(typeof(Percentiles))]
[MemoryDiagnoser, MinColumn, MedianColumn]
public class ClientMapBenchmarks
{
    private const int Keys = 10_000;

    private readonly List<long> _perCall = [];
    private string[] _keys = [];
    private Value _value = Value.Null;
    private TopGunClient _client = null!;
    private TopGunMap<Value> _map = null!;
    private long[] _ticks = [];

    private sealed class Percentiles : ManualConfig
    {
        public Percentiles() => AddColumn(StatisticColumn.P95, new ClientP99Column(), StatisticColumn.P100);
    }

    [GlobalSetup(Targets = [nameof(Set), nameof(SetTimingEachCall)])]
    public void GlobalSetup()
    {
        _keys = Enumerable.Range(0, Keys).Select(i => "todo-" + i).ToArray();
        _value = Value.Map(("title", "buy milk"), ("done", false), ("priority", 3));
        _ticks = new long[Keys];
    }

    [IterationSetup(Targets = [nameof(Set), nameof(SetTimingEachCall)])]
    public void FreshClient()
    {
        CloseClient();
        _client = new TopGunClient(new TopGunClientOptions { InMemoryStore = true });
        _map = _client.GetMap("todos");
        foreach (var key in _keys) _map.Set(key, _value);
        _client.FlushAsync().GetAwaiter().GetResult();
    }

    [GlobalSetup(Target = nameof(Get))]
    public void FilledClient()
    {
        GlobalSetup();
        FreshClient();
    }

    [Benchmark(OperationsPerInvoke = Keys)]
    public void Set()
    {
        var map = _map;
        var value = _value;
        foreach (var key in _keys) map.Set(key, value);
    }

    /// <summary>
    /// The same loop timing every call on its own, so the per-call p50/p99/p99.9 (which the iteration
    /// percentiles cannot show) is printed at the end of the run.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Keys)]
    public void SetTimingEachCall()
    {
        var map = _map;
        var value = _value;
        var keys = _keys;
        var ticks = _ticks;
        for (var i = 0; i < keys.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            map.Set(keys[i], value);
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }
        _perCall.AddRange(ticks);
    }

    [Benchmark(OperationsPerInvoke = Keys)]
    public int Get()
    {
        var map = _map;
        var found = 0;
        foreach (var key in _keys)
            if (map.Get(key) is not null) found++;
        return found;
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        CloseClient();
        if (_perCall.Count == 0) return;
        _perCall.Sort();
        double Micros(double q) => _perCall[(int)Math.Min(_perCall.Count - 1, q * _perCall.Count)] * 1_000_000.0 / Stopwatch.Frequency;
        Console.WriteLine(FormattableString.Invariant(
            $"// Set per call over {_perCall.Count:N0} calls: p50 {Micros(0.50):0.000} μs, p99 {Micros(0.99):0.000} μs, p99.9 {Micros(0.999):0.000} μs, max {Micros(1.0):0.0} μs"));
        _perCall.Clear();
    }

    private void CloseClient()
    {
        if (_client is null) return;
        _client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _client = null!;
    }
}
