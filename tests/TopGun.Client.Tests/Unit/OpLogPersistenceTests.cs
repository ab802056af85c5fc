using System.Diagnostics;
using System.Globalization;
using TopGun.Client.Storage;
using TopGun.Client.Tests.TestPeer;
using TopGun.Core.Clock;
using TopGun.Core.Protocol;
using TopGun.Core.Values;

namespace TopGun.Client.Tests.Unit;

public sealed class OpLogPersistenceTests : IDisposable
{
    private readonly TestClients _clients = new();

    [Fact]
    public async Task Every_write_stays_pending_while_offline()
    {
        await using var client = new TopGunClient(TestClients.InMemory());
        var map = client.GetMap("m");
        map.Set("a", 1.0);
        map.Set("b", 2.0);
        map.Remove("a");
        await client.FlushAsync();
        Assert.Equal(3, client.PendingOps);
    }

    [Fact]
    public async Task A_restarted_client_shows_its_data_and_still_has_its_pending_ops()
    {
        var options = _clients.File("restart");
        string nodeId;
        await using (var first = new TopGunClient(options))
        {
            nodeId = first.NodeId;
            first.GetMap("todos").Set("t1", Value.Map(("text", "milk"), ("done", false)));
            first.GetMap("todos").Set("t2", Value.Map(("text", "eggs"), ("done", true)));
            first.GetMap("todos").Remove("t2");
            first.GetORMap("tags").Add("t1", "shop");
            first.GetORMap("tags").Add("t1", "home");
            first.GetORMap("tags").Remove("t1", "home");
        }

        await using var second = new TopGunClient(options);
        Assert.Equal(nodeId, second.NodeId);
        Assert.Equal(Value.Map(("text", "milk"), ("done", false)), second.GetMap("todos").Get("t1"));
        Assert.Null(second.GetMap("todos").Get("t2"));
        Assert.Equal([Value.Of("shop")], second.GetORMap("tags").Get("t1"));
        Assert.Equal(6, second.PendingOps);
    }

    [Fact]
    public async Task Op_ids_and_clock_continue_after_a_restart()
    {
        await using var peer = await ScriptedPeer.StartAsync();
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var time = new ManualTimeSource(start);
        var options = _clients.File("ids", peer.Url) with { TimeSource = time };
        await using (var first = new TopGunClient(options))
        {
            first.GetMap("m").Set("k", "old");
            first.GetMap("m").Remove("k");
            await Eventually.Within(first.WaitForSyncAsync(), "the first ops are acknowledged");
            // The server's GC horizon passes the tombstone: the client forgets the last timestamp it issued.
            var tombstone = peer.ReceivedOps[^1].Record!.Timestamp;
            peer.SendToAll(new GcPruneMessage(new Timestamp(tombstone.Millis + 1, 0, "peer")));
            await Eventually.True(() => RootOf(first, "m") == 0, "the client prunes the tombstone");
        }
        var before = peer.ReceivedOps;
        Assert.Equal(2, before.Count);
        var lastId = before.Max(op => long.Parse(op.Id!, CultureInfo.InvariantCulture));
        var lastTimestamp = before.Max(op => op.Record!.Timestamp);
        using (var store = SqliteLocalStore.Open(options.DatabasePath))
        {
            // Nothing in the store holds those ids or timestamps but its high-water marks.
            var stored = store.Load();
            Assert.Empty(stored.PendingOps);
            Assert.All(stored.Maps, map => Assert.Empty(map.LwwRecords));
        }

        // Restarted offline with the wall clock an hour behind the first run.
        time.Set(start - 3_600_000);
        await using (var second = new TopGunClient(options with { ServerUrl = null }))
        {
            Assert.Equal(0, second.PendingOps);
            second.GetMap("m").Set("k", "new");
            await second.FlushAsync();
        }
        PendingOp next;
        using (var store = SqliteLocalStore.Open(options.DatabasePath)) next = Assert.Single(store.Load().PendingOps);
        Assert.True(next.Id > lastId, $"op id {next.Id} after {lastId}");
        Assert.Equal(next.Id.ToString(CultureInfo.InvariantCulture), next.Op.Id);
        Assert.True(next.Op.Record!.Timestamp > lastTimestamp, $"timestamp {next.Op.Record.Timestamp} after {lastTimestamp}");

        await using var third = new TopGunClient(options);
        Assert.Equal(Value.Of("new"), third.GetMap("m").Get("k"));
        await Eventually.Within(third.WaitForSyncAsync(), "the write made after the restart is acknowledged");
        Assert.Equal(Value.Of("new"), peer.Get("m", "k"));
        Assert.Equal(3, peer.ReceivedOpIds.Distinct().Count());
    }

    private static uint RootOf(TopGunClient client, string map) =>
        typeof(TopGunClient).GetField("_core", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .GetValue(client) is ClientCore core && core.TryGetLww(map, out var replica) ? replica.RootHash : 0;

    [Fact]
    public async Task Writes_survive_a_process_that_exits_without_disposing_after_FlushAsync()
    {
        var db = _clients.DbPath("crash");
        var assembly = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        // Enough writes that their commit takes a while: a FlushAsync answered before the commit ends loses them to the kill.
        const int writes = 2000;
        foreach (var arg in new[] { "exec", assembly, "crash-writer", db, writes.ToString(System.Globalization.CultureInfo.InvariantCulture) }) start.ArgumentList.Add(arg);
        using var child = Process.Start(start)!;
        var stderr = child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        // 128 + SIGKILL: the child reached its kill after FlushAsync (any failure before it exits otherwise).
        Assert.True(child.ExitCode == 137, $"child exited with {child.ExitCode}: " + await stderr);

        await using var client = new TopGunClient(_clients.File("crash"));
        var todos = client.GetMap("todos");
        Assert.Equal(writes, todos.Keys.Count);
        Assert.Equal(Value.Map(("text", "item 7"), ("done", false)), todos.Get("todo-7"));
        Assert.Equal(writes, client.PendingOps);
    }

    public void Dispose() => _clients.Dispose();
}
