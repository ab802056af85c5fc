using System.Net.WebSockets;
using System.Text;
using TopGun.Core.Protocol;
using TopGun.Server.Tests.Gateway;
using TopGun.Server.Tests.Protocol;
using TopGun.Server.Tests.Support;

namespace TopGun.Server.Tests.Counters;

/// <summary>Counters through real WebSockets, the "counter" shard region and PostgreSQL (TOPGUN_TEST_POSTGRES).</summary>
public sealed class CounterEndToEndTests
{
    private static CounterStatePayload Payload(string node, double p, double n = 0) =>
        new(new WireMap<double>([new(node, p)]), n > 0 ? new WireMap<double>([new(node, n)]) : WireMap<double>.Empty);

    private static double Value(CounterStatePayload state) =>
        state.P.Entries.ToArray().Sum(e => e.Value) - state.N.Entries.ToArray().Sum(e => e.Value);

    [Fact]
    public async Task A_sync_reaches_the_syncer_and_every_subscriber_and_the_count_survives_a_node_restart()
    {
        await using var postgres = TestPostgres.Create();
        var node = await GatewayNode.StartAsync(environment: GatewayNode.ForPostgres(postgres));
        try
        {
            await using var reader = await ProtocolClient.ConnectAndAuthenticateAsync(node.Address, TestTokens.Valid());
            await using var writer = await ProtocolClient.ConnectAndAuthenticateAsync(node.Address, TestTokens.Valid("writer"));

            await reader.SendAsync(new CounterRequestMessage("likes"));
            var initial = await reader.ExpectAsync<CounterResponseMessage>();
            Assert.Equal(("likes", 0.0), (initial.Name, Value(initial.State)));

            await writer.SendAsync(new CounterSyncMessage("likes", Payload("writer-node", 5, 2)));
            Assert.Equal(3, Value((await writer.ExpectAsync<CounterUpdateMessage>()).State));
            Assert.Equal(3, Value((await reader.ExpectAsync<CounterUpdateMessage>()).State));

            // The TS client's {positive, negative} shape, as JSON: merged per node by maximum, answered as {p, n}.
            await reader.SendRawAsync(Encoding.UTF8.GetBytes(
                """{"type":"COUNTER_SYNC","payload":{"name":"likes","state":{"positive":{"reader-node":4,"writer-node":1},"negative":{}}}}"""),
                WebSocketMessageType.Text);
            var merged = await reader.ExpectAsync<CounterUpdateMessage>();
            Assert.Equal(7, Value(merged.State));
            Assert.Equal(7, Value((await writer.ExpectAsync<CounterUpdateMessage>()).State));

            await writer.SendAsync(new CounterSyncMessage("likes", Payload("writer-node", -1)));
            var error = await writer.ExpectAsync<ErrorMessage>();
            Assert.Equal(400, error.Code);
        }
        finally
        {
            await node.DisposeAsync();
        }

        var restarted = await GatewayNode.StartAsync(environment: GatewayNode.ForPostgres(postgres));
        try
        {
            await using var client = await ProtocolClient.ConnectAndAuthenticateAsync(restarted.Address, TestTokens.Valid());
            await client.SendAsync(new CounterRequestMessage("likes"));

            var recovered = await client.ExpectAsync<CounterResponseMessage>();
            Assert.Equal(7, Value(recovered.State));
            Assert.Equal(2, recovered.State.N.Entries[0].Value);
        }
        finally
        {
            await restarted.DisposeAsync();
        }
    }
}
