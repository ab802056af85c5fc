namespace TopGun.Client.Tests.RealServer;

/// <summary>The client's counter handle against the real TopGun.Server process.</summary>
public sealed class RealServerCounterTests(RealServerFixture server) : IClassFixture<RealServerFixture>, IAsyncLifetime
{
    private readonly RealServerClients _clients = new(server);
    private readonly string _name = "likes-" + Guid.NewGuid().ToString("n")[..8];


    [Fact]
    public async Task Counters_of_two_clients_converge_through_the_server_and_the_count_survives_a_server_crash()
    {
        var a = _clients.Open("a");
        var b = _clients.Open("b");
        var counterA = a.Counter(_name);
        var counterB = b.Counter(_name);

        counterA.Increment();
        counterA.Increment();
        counterB.Decrement();
        await Eventually.True(() => counterA.Value == 1 && counterB.Value == 1, "both counters converge on 1");

        // A connected client re-sends its whole PN state on reconnect, so a and b are closed before the crash:
        // afterwards only the server's journal knows the count.
        await _clients.CloseAsync(a);
        await _clients.CloseAsync(b);
        var exitCode = await server.CrashAndRestartAsync();
        Assert.Equal(137, exitCode); // 128 + SIGKILL: killed, not stopped

        // A new database file: a new node id and no counter state of its own.
        var late = _clients.Open("late");
        var counterLate = late.Counter(_name);
        await Eventually.True(() => counterLate.Value == 1, "a client that never synced reads the persisted count");
        counterLate.Add(5);
        await Eventually.True(() => counterLate.Value == 6, "the late client's own update is counted");

        var reopened = _clients.Open("a");
        var counterReopened = reopened.Counter(_name);
        await Eventually.True(() => counterReopened.Value == 6, "a restarted client gets the update it missed");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _clients.DisposeAsync().AsTask();
}
