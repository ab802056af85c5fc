using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using TopGun.Client;
using TopGun.Client.Maps;
using TopGun.Core.Values;

namespace TopGun.Benchmarks;

/// <summary>
/// End to end against a real server process: a fresh client's initial Merkle pull of 100,000 keys, and
/// the re-sync of a client that already holds them after 1,000 (1 %) changed on the server. Each
/// iteration is one sync, timed from the client's construction until <c>WaitForSyncAsync</c> completes;
/// the re-sync also includes reading the 100,000 records back from its SQLite file, so
/// <see cref="OpenOffline"/> measures that part alone. The server is filled once, through OP_BATCHes
/// sent by one writer client. Needs a Release build of src/TopGun.Server.
/// </summary>
[SimpleJob(RunStrategy.ColdStart, launchCount: 1, warmupCount: 0, iterationCount: 3)]
[MinColumn, MaxColumn, MedianColumn]
public class ClientSyncBenchmarks
{
    private const int Keys = 100_000;
    private const int Changed = 1_000;
    private const string MapName = "bench-todos";
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromMinutes(5);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "topgun-client-bench-" + Guid.NewGuid().ToString("n")[..12]);
    private ClientBenchServer _server = null!;
    private TopGunClient _writer = null!;
    private TopGunClient? _measured;
    private string _freshDb = "";
    private int _round;

    private string SyncedDb => Path.Combine(_dir, "synced.db");

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        Directory.CreateDirectory(_dir);
        _server = await ClientBenchServer.StartAsync();
        _writer = new TopGunClient(Options(null) with { MaxPendingOps = 2 * Keys });
        var map = _writer.GetMap(MapName);
        var prefill = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < Keys; i++) map.Set(Key(i), Todo(i, 0));
        await _writer.WaitForSyncAsync().WaitAsync(SyncTimeout);
        Console.WriteLine($"// Prefill: {Keys:N0} keys written and acknowledged through OP_BATCH in {prefill.Elapsed.TotalSeconds:0.00} s");

        await using var synced = new TopGunClient(Options(SyncedDb));
        var replica = synced.GetMap(MapName);
        await synced.WaitForSyncAsync().WaitAsync(SyncTimeout);
        Check(replica.Keys.Count == Keys, $"the synced client holds {replica.Keys.Count} keys, not {Keys}");
    }

    [IterationSetup(Target = nameof(InitialSync))]
    public void NewDatabase() => _freshDb = Path.Combine(_dir, "fresh-" + Guid.NewGuid().ToString("n") + ".db");

    [Benchmark]
    public void InitialSync() => _measured = SyncAsync(_freshDb).GetAwaiter().GetResult();

    [IterationCleanup(Target = nameof(InitialSync))]
    public void CheckInitialSync()
    {
        var map = _measured!.GetMap(MapName);
        Check(map.Keys.Count == Keys, $"the fresh client pulled {map.Keys.Count} keys, not {Keys}");
        Check(map.Get(Key(Keys - 1)) is MapValue, "the fresh client lacks the last key's value");
        CloseMeasured();
    }

    [IterationSetup(Target = nameof(Resync1Percent))]
    public void ChangeOnePercentOnTheServer()
    {
        _round++;
        var map = _writer.GetMap(MapName);
        for (var i = 0; i < Changed; i++) map.Set(Key(i * (Keys / Changed)), Todo(i, _round));
        _writer.WaitForSyncAsync().WaitAsync(SyncTimeout).GetAwaiter().GetResult();
    }

    [Benchmark]
    public void Resync1Percent() => _measured = SyncAsync(SyncedDb).GetAwaiter().GetResult();

    [IterationCleanup(Target = nameof(Resync1Percent))]
    public void CheckResync()
    {
        var map = _measured!.GetMap(MapName);
        Check(map.Get(Key((Changed - 1) * (Keys / Changed))) == Todo(Changed - 1, _round), "the re-synced client missed a change");
        Check(map.Keys.Count == Keys, $"the re-synced client holds {map.Keys.Count} keys, not {Keys}");
        CloseMeasured();
    }

    /// <summary>Opening the synced 100,000-key database offline: the local part of <see cref="Resync1Percent"/>.</summary>
    [Benchmark]
    public int OpenOffline()
    {
        _measured = new TopGunClient(Options(SyncedDb) with { ServerUrl = null });
        return _measured.GetMap(MapName).Keys.Count;
    }

    [IterationCleanup(Target = nameof(OpenOffline))]
    public void CloseOffline() => CloseMeasured();

    [GlobalCleanup]
    public void Cleanup()
    {
        CloseMeasured();
        _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Leave it to the OS temp cleaner.
        }
    }

    private async Task<TopGunClient> SyncAsync(string database)
    {
        var client = new TopGunClient(Options(database));
        client.GetMap(MapName);
        await client.WaitForSyncAsync().WaitAsync(SyncTimeout);
        return client;
    }

    private TopGunClientOptions Options(string? database) => new()
    {
        ServerUrl = _server.Url,
        Token = _server.Token,
        InMemoryStore = database is null,
        DatabasePath = database ?? "unused.db",
    };

    private void CloseMeasured()
    {
        _measured?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _measured = null;
    }

    private static string Key(int i) => "todo-" + i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    private static Value Todo(int i, int round) => Value.Map(("title", "item " + i), ("done", round % 2 == 1), ("round", round));

    private static void Check(bool condition, string what)
    {
        if (!condition) throw new InvalidOperationException(what);
    }
}
