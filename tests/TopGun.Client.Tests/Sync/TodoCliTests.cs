using System.Diagnostics;
using TopGun.Client.Tests.TestPeer;
using TopGun.Core.Values;

namespace TopGun.Client.Tests.Sync;

/// <summary>The sample's offline → online story, run as real processes against the scripted peer.</summary>
public sealed class TodoCliTests : IAsyncLifetime
{
    private readonly TestClients _clients = new();
    private ScriptedPeer _peer = null!;

    public async Task InitializeAsync() => _peer = await ScriptedPeer.StartAsync();

    public async Task DisposeAsync()
    {
        await _peer.DisposeAsync();
        _clients.Dispose();
    }

    [Fact]
    public async Task Todos_added_offline_reach_the_server_with_sync()
    {
        var db = _clients.DbPath("todo");
        var added = await Run(db, null, "add", "buy", "milk");
        Assert.Equal(0, added.Code);
        var id = added.Output.Split(' ', StringSplitOptions.TrimEntries)[1];

        var listed = await Run(db, null, "list");
        Assert.Contains("buy milk", listed.Output);
        Assert.Contains("1 change(s) not yet synced", listed.Output);

        var synced = await Run(db, _peer.Url, "sync");
        Assert.True(synced.Code == 0, synced.Output + synced.Error);
        Assert.Equal(Value.Map(("text", "buy milk"), ("done", false)), _peer.Get("todos", id));

        Assert.Contains("0 change(s) not yet synced", (await Run(db, null, "list")).Output);
    }

    [Fact]
    public async Task Sync_pulls_todos_written_elsewhere()
    {
        _peer.Put("todos", "abc", Value.Map(("text", "from the web"), ("done", true)));
        var db = _clients.DbPath("pull");
        Assert.Equal(0, (await Run(db, _peer.Url, "sync")).Code);
        Assert.Contains("[x] abc  from the web", (await Run(db, null, "list")).Output);
    }

    [Fact]
    public async Task Sync_fails_with_a_message_when_the_server_is_unreachable()
    {
        var result = await Run(_clients.DbPath("down"), new Uri("ws://127.0.0.1:1/"), "sync");
        Assert.Equal(1, result.Code);
        Assert.Contains("unreachable", result.Error);
    }

    private static async Task<(int Code, string Output, string Error)> Run(string db, Uri? url, params string[] args)
    {
        var dll = SampleDll();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["TODO_DB"] = db;
        start.Environment.Remove("TOPGUN_URL");
        if (url is not null) start.Environment["TOPGUN_URL"] = url.ToString();
        start.Environment["TOPGUN_TOKEN"] = "test-token";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return (process.ExitCode, await output, await error);
    }

    /// <summary>samples/TodoCli/bin/&lt;configuration&gt;/&lt;tfm&gt;/TodoCli.dll, built with the same configuration as this assembly.</summary>
    private static string SampleDll()
    {
        var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfmDir.Parent!.Name;
        for (var dir = tfmDir; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples", "TodoCli", "bin", configuration, tfmDir.Name, "TodoCli.dll");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("TodoCli.dll not found; build samples/TodoCli with configuration " + configuration);
    }
}
