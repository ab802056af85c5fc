using TopGun.Client.Topics;
using TopGun.Core.Values;

namespace TopGun.Client.Tests.RealServer;

/// <summary>The client's topic handle against the real TopGun.Server process.</summary>
public sealed class RealServerTopicTests(RealServerFixture server) : IClassFixture<RealServerFixture>, IAsyncLifetime
{
    private readonly RealServerClients _clients = new(server);
    private readonly string _topic = "chat/" + Guid.NewGuid().ToString("n")[..8];

    [Fact]
    public async Task Two_clients_exchange_topic_messages_and_neither_hears_its_own()
    {
        var a = _clients.Open("a");
        var b = _clients.Open("b");
        await Eventually.Within(a.WaitForSyncAsync(), "a is connected");
        await Eventually.Within(b.WaitForSyncAsync(), "b is connected");
        var atA = new List<TopicMessage>();
        var atB = new List<TopicMessage>();
        using var subA = a.Topic(_topic).Subscribe(m => { lock (atA) atA.Add(m); });
        using var subB = b.Topic(_topic).Subscribe(m => { lock (atB) atB.Add(m); });

        // TOPIC_SUB has no acknowledgement, so a publishes until b's subscription has surely reached the server.
        for (var attempt = 0; Count(atB) == 0; attempt++)
        {
            Assert.True(attempt < 100, "b never received a's messages");
            a.Topic(_topic).Publish(new { from = "a", attempt });
            await Task.Delay(200);
        }
        b.Topic(_topic).Publish(new { from = "b" });
        await Eventually.True(() => Count(atA) > 0, "a receives b's message");

        TopicMessage first;
        lock (atB) first = atB[0];
        Assert.Equal(_topic, first.Topic);
        Assert.Equal(Value.Of("a"), first.Data["from"]);
        Assert.False(string.IsNullOrEmpty(first.PublisherId));
        Assert.True(first.Timestamp > 0);
        lock (atA) Assert.All(atA, m => Assert.Equal(Value.Of("b"), m.Data["from"]));
        lock (atB) Assert.All(atB, m => Assert.Equal(Value.Of("a"), m.Data["from"]));
    }

    private static int Count(List<TopicMessage> received)
    {
        lock (received) return received.Count;
    }


    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _clients.DisposeAsync().AsTask();
}
