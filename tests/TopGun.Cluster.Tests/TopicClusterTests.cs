using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Cluster.Tools.PublishSubscribe.Internal;
using TopGun.Cluster.Tests.Support;
using TopGun.Core.Protocol;
using TopGun.Core.Values;
using TopGun.Server.Topics;

namespace TopGun.Cluster.Tests;

/// <summary>Topics across three in-process nodes: clients on node A and node C talk through one topic.</summary>
public sealed class TopicClusterTests
{
    [Fact]
    public async Task Clients_on_node_A_and_node_C_exchange_topic_messages_with_one_pub_sub_subscription_per_node()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var (a, c) = (cluster.Nodes[0], cluster.Nodes[2]);
        const string topic = "room/cluster-chat";
        await using var alice = await ProtocolClient.ConnectAndAuthenticateAsync(a.WebSocketAddress, TestTokens.Valid("alice"));
        await using var carol = await ProtocolClient.ConnectAndAuthenticateAsync(c.WebSocketAddress, TestTokens.Valid("carol"));
        await using var charlie = await ProtocolClient.ConnectAndAuthenticateAsync(c.WebSocketAddress, TestTokens.Valid("charlie"));
        foreach (var client in new[] { alice, carol, charlie }) await Subscribe(client, topic);

        // Another node learns of a subscription through pub-sub gossip, so each direction is retried until it lands.
        var fromA = await PublishUntilReceived(alice, carol, topic, "from-A");
        Assert.False(string.IsNullOrEmpty(fromA.PublisherId));
        await charlie.ExpectEventuallyAsync<TopicMessageMessage>(m => Marker(m) == "from-A");
        var fromC = await PublishUntilReceived(carol, alice, topic, "from-C");
        Assert.NotEqual(fromA.PublisherId, fromC.PublisherId);

        // Both directions are established: one publish reaches each other subscriber exactly once, never its publisher.
        await alice.SendAsync(Pub(topic, "once"));
        await alice.SendAsync(Pub(topic, "end-A"));
        foreach (var subscriber in new[] { carol, charlie })
        {
            var seen = await ReadUntil(subscriber, "end-A");
            Assert.Equal(1, seen.Count(m => Marker(m) == "once"));
        }
        await carol.SendAsync(Pub(topic, "end-C"));
        var atAlice = await ReadUntil(alice, "end-C");
        Assert.DoesNotContain(atAlice, m => m.PublisherId == fromA.PublisherId);

        // Node C holds one pub-sub subscription for its two connections: a publish crosses to C once, not per subscriber.
        var mediatorC = DistributedPubSub.Get(c.System).Mediator;
        Assert.Equal(1, await mediatorC.Ask<int>(new CountSubscribers(TopicPublished.PubSubTopic(topic)), TestCluster.Timeout));

        // Subscriptions die with their connections: once both of C's clients are gone, C leaves the topic.
        await carol.DisposeAsync();
        await charlie.DisposeAsync();
        await Eventually.Async(async () =>
            Assert.Equal(0, await mediatorC.Ask<int>(new CountSubscribers(TopicPublished.PubSubTopic(topic)), TestCluster.Timeout)),
            TestCluster.Timeout);
    }

    private static TopicPubMessage Pub(string topic, string marker, int attempt = 0) =>
        new(topic, Value.Map(("marker", Value.Of(marker)), ("attempt", Value.Of(attempt))));

    private static string? Marker(TopicMessageMessage message) =>
        message.Data["marker"] is StringValue marker ? marker.Item : null;

    private static async Task Subscribe(ProtocolClient client, string topic)
    {
        await client.SendAsync(new TopicSubMessage(topic));
        await client.SendAsync(new PingMessage(1));
        await client.ExpectAsync<PongMessage>();
    }

    private static async Task<TopicMessageMessage> PublishUntilReceived(ProtocolClient publisher, ProtocolClient receiver, string topic, string marker)
    {
        using var received = new CancellationTokenSource();
        var pump = Task.Run(async () =>
        {
            for (var attempt = 0; !received.IsCancellationRequested; attempt++)
            {
                await publisher.SendAsync(Pub(topic, marker, attempt));
                await Task.Delay(TimeSpan.FromMilliseconds(200), received.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });
        try
        {
            return await receiver.ExpectEventuallyAsync<TopicMessageMessage>(m => Marker(m) == marker);
        }
        finally
        {
            await received.CancelAsync();
            await pump;
        }
    }

    private static async Task<List<TopicMessageMessage>> ReadUntil(ProtocolClient client, string marker)
    {
        var seen = new List<TopicMessageMessage>();
        while (true)
        {
            var message = await client.ExpectEventuallyAsync<TopicMessageMessage>();
            seen.Add(message);
            if (Marker(message) == marker) return seen;
        }
    }
}
