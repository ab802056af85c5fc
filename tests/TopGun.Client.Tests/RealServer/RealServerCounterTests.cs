namespace TopGun.Client.Tests.RealServer;

/// <summary>The client's counter handle against the real TopGun.Server process.</summary>
public sealed class RealServerCounterTests(RealServerFixture server) : IClassFixture<RealServerFixture>, IAsyncLifetime
{
    private readonly TestClients _clients = new();
    private readonly List<TopGunClient> _open = [];
    private readonly string _name = "likes-" + Guid.NewGuid().ToString("n")[..8];

    private TopGunClient Open(string name)
    {
        var client = new TopGunClient(_clients.File(name, server.Url) with { Token = RealServerFixture.UserToken });
        _open.Add(client);
        return client;
    }

    [Fact]
    public async Task Counters_of_two_clients_converge_through_the_server_and_the_count_survives_a_server_crash()
    {
        var a = Open("a");
        var b = Open("b");
        var counterA = a.Counter(_name);
        var counterB = b.Counter(_name);

        counterA.Increment();
        counterA.Increment();
        counterB.Decrement();
        await Eventually.True(() => counterA.Value == 1 && counterB.Value == 1, "both counters converge on 1");

        await server.DropConnectionsAsync();

        var late = Open("late");
        var counterLate = late.Counter(_name);
        await Eventually.True(() => counterLate.Value == 1, "a client that never synced reads the persisted count");
        counterLate.Add(5);
        await Eventually.True(() => counterA.Value == 6 && counterB.Value == 6, "the reconnected clients get the update");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var client in _open) await client.DisposeAsync();
        _clients.Dispose();
    }
}
