using TopGun.Client;

namespace TopGun.Client.Tests;

/// <summary>
/// Entry point of the test assembly when run as a child process (<c>dotnet exec TopGun.Client.Tests.dll
/// crash-writer &lt;db&gt; &lt;count&gt;</c>): writes, flushes, and kills itself (SIGKILL) the moment
/// FlushAsync returns, without disposing anything, as a crashing process would: a flush that returned before
/// its commit finished loses the writes. The test runner never calls it.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 3 || args[0] != "crash-writer") return 2;
        var client = new TopGunClient(new TopGunClientOptions { DatabasePath = args[1], FlushInterval = TimeSpan.FromSeconds(30) });
        var todos = client.GetMap("todos");
        for (var i = 0; i < int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture); i++)
            todos.Set("todo-" + i, Core.Values.Value.Map(("text", "item " + i), ("done", false)));
        await client.FlushAsync();
        System.Diagnostics.Process.GetCurrentProcess().Kill();
        return 0;
    }
}
