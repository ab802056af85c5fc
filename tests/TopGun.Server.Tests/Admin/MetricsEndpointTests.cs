using System.Globalization;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Values;
using TopGun.Server.Admin;
using TopGun.Server.Readiness;
using TopGun.Server.Tests.Gateway;
using TopGun.Server.Tests.Protocol;

namespace TopGun.Server.Tests.Admin;

/// <summary><c>GET /metrics</c> on a real node reports what the node is doing, in Prometheus text.</summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_report_readiness_open_connections_membership_and_the_writes_partitions_persisted()
    {
        await using var node = await GatewayNode.StartAsync();
        using var http = new HttpClient { BaseAddress = new UriBuilder(node.Address) { Scheme = "http", Path = "/" }.Uri };
        var before = Parse(await http.GetStringAsync("/metrics"));

        await using var client = await ProtocolClient.ConnectAndAuthenticateAsync(node.Address, TestTokens.Valid("metrics"));
        var clock = new Hlc("metrics-client");
        var ops = Enumerable.Range(0, 3).Select(i => new ClientOp("metered", "k" + i, Id: i.ToString(CultureInfo.InvariantCulture), Record: new LwwRecord(Value.Of(i), clock.Now()))).ToArray();
        await client.SendAsync(new OpBatchMessage(ops, WriteConcern.Persisted));
        await client.ExpectEventuallyAsync<OpAckMessage>(a => a.LastId == "2");

        using var response = await http.GetAsync("/metrics");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var after = Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(1, after["topgun_node_ready"]);
        Assert.Equal(before["topgun_connections_open"] + 1, after["topgun_connections_open"]);
        Assert.Equal(1, after["topgun_cluster_members{status=\"up\"}"]);
        Assert.Equal(0, after["topgun_cluster_unreachable_members"]);
        Assert.True(after["topgun_partitions_active"] >= 1);
        Assert.True(after["topgun_partition_events_persisted_total"] > before["topgun_partition_events_persisted_total"]);
        Assert.Equal(before["topgun_partition_changes_total"] + 3, after["topgun_partition_changes_total"]);
        Assert.True(after["process_resident_memory_bytes"] > 0);

        // A gauge, not a count of connections ever opened: closing the client takes it back down.
        await client.DisposeAsync();
        var open = after["topgun_connections_open"];
        for (var attempt = 0; attempt < 50 && open != before["topgun_connections_open"]; attempt++)
        {
            await Task.Delay(100);
            open = Parse(await http.GetStringAsync("/metrics"))["topgun_connections_open"];
        }
        Assert.Equal(before["topgun_connections_open"], open);
    }

    [Fact]
    public void The_readiness_gauge_is_0_until_every_readiness_condition_holds()
    {
        var readiness = new ReadinessState();
        Assert.Equal(0, Parse(NodeMetrics.Render(null, readiness, 0))["topgun_node_ready"]);
        readiness.MarkActorSystemStarted();
        readiness.MarkMemberUp();
        readiness.MarkJournalAnswered();
        Assert.Equal(0, Parse(NodeMetrics.Render(null, readiness, 0))["topgun_node_ready"]);
        readiness.MarkStartupStepsDone();
        Assert.Equal(1, Parse(NodeMetrics.Render(null, readiness, 0))["topgun_node_ready"]);
    }

    /// <summary>Sample lines (name with labels → value); every family must come with HELP and TYPE lines.</summary>
    private static Dictionary<string, double> Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        var typed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal)) typed.Add(line.Split(' ')[2]);
            if (line.StartsWith('#')) continue;
            var space = line.LastIndexOf(' ');
            var name = line[..space];
            Assert.Contains(name.Split('{')[0], typed);
            samples[name] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }
        return samples;
    }
}
