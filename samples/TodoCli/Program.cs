using TodoCli;
using TopGun.Client;

// An offline-first todo list on the TopGun client: every command works without a server; `sync`
// pushes what was written offline and pulls what others wrote. Environment:
//   TODO_DB      local SQLite file (default todos.db)
//   TOPGUN_URL   server WebSocket URL; absent = offline
//   TOPGUN_TOKEN JWT for the server

var command = args.Length > 0 ? args[0] : "help";
var url = Environment.GetEnvironmentVariable("TOPGUN_URL");
var online = command is "sync" or "watch" or "add" or "done" && !string.IsNullOrWhiteSpace(url);
if (command == "sync" && !online)
{
    Console.Error.WriteLine("sync needs TOPGUN_URL (e.g. ws://localhost:8080/)");
    return 2;
}

await using var client = new TopGunClient(new TopGunClientOptions
{
    DatabasePath = Environment.GetEnvironmentVariable("TODO_DB") ?? "todos.db",
    ServerUrl = online ? new Uri(url!) : null,
    Token = Environment.GetEnvironmentVariable("TOPGUN_TOKEN"),
});
var todos = client.GetMap<TodoItem>("todos");

switch (command)
{
    case "add" when args.Length > 1:
    {
        var id = Guid.NewGuid().ToString("n")[..8];
        todos.Set(id, new TodoItem(string.Join(' ', args[1..]), false));
        await client.FlushAsync();
        Console.WriteLine($"added {id}");
        if (online) await TrySyncBriefly(client);
        return 0;
    }
    case "done" when args.Length == 2:
    {
        var item = todos.Get(args[1]);
        if (item is null)
        {
            Console.Error.WriteLine($"no todo with id {args[1]}");
            return 1;
        }
        todos.Set(args[1], item with { Done = true });
        await client.FlushAsync();
        Console.WriteLine($"done {args[1]}");
        if (online) await TrySyncBriefly(client);
        return 0;
    }
    case "list":
        Print(todos.Entries);
        Console.WriteLine($"({client.PendingOps} change(s) not yet synced)");
        return 0;
    case "watch":
    {
        using var query = client.Query<TodoItem>("todos", new { sort = new { text = "asc" } });
        using var _ = query.Subscribe(_ => Print(query.Rows.Select(r => new KeyValuePair<string, TodoItem>(r.Key, r.Value)).ToList()));
        using var __ = client.StateChanges.Subscribe(s => Console.WriteLine($"-- {s}"));
        var stop = new TaskCompletionSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.TrySetResult();
        };
        Console.WriteLine("watching; Ctrl+C to stop");
        await stop.Task;
        return 0;
    }
    case "sync":
        return await Sync(client, todos);
    default:
        Console.WriteLine("usage: todo add <text> | list | done <id> | watch | sync");
        return command == "help" ? 0 : 2;
}

static void Print(IReadOnlyList<KeyValuePair<string, TodoItem>> items)
{
    foreach (var (id, item) in items.OrderBy(i => i.Value.Text, StringComparer.Ordinal))
        Console.WriteLine($"[{(item.Done ? 'x' : ' ')}] {id}  {item.Text}");
}

// Connects, pushes pending writes, pulls the server's state and waits until every op is acknowledged.
static async Task<int> Sync(TopGunClient client, TopGun.Client.Maps.TopGunMap<TodoItem> todos)
{
    var failure = new TaskCompletionSource<string>();
    using var _ = client.Errors.Subscribe(e => { if (e.Kind == "AUTH_FAIL") failure.TrySetResult("authentication failed: " + e.Message); });
    var reached = new TaskCompletionSource();
    using var __ = client.StateChanges.Subscribe(s => { if (s is ConnectionState.Syncing or ConnectionState.Connected) reached.TrySetResult(); });
    if (client.State is ConnectionState.Syncing or ConnectionState.Connected) reached.TrySetResult();

    var first = await Task.WhenAny(reached.Task, failure.Task, Task.Delay(TimeSpan.FromSeconds(10)));
    if (first != reached.Task)
    {
        Console.Error.WriteLine(first == failure.Task ? failure.Task.Result : $"server unreachable within 10 s ({client.Options.ServerUrl})");
        return 1;
    }
    var synced = client.WaitForSyncAsync();
    if (await Task.WhenAny(synced, failure.Task) != synced)
    {
        Console.Error.WriteLine(failure.Task.Result);
        return 1;
    }
    Console.WriteLine($"synced: {todos.Keys.Count} todo(s), every change acknowledged");
    return 0;
}

// add/done with a server configured: push right away when the server answers quickly, else leave it for `sync`.
static async Task TrySyncBriefly(TopGunClient client)
{
    try
    {
        await client.WaitForSyncAsync().WaitAsync(TimeSpan.FromSeconds(3));
        Console.WriteLine("synced");
    }
    catch (TimeoutException)
    {
        Console.WriteLine($"saved locally; {client.PendingOps} change(s) will sync later");
    }
}
