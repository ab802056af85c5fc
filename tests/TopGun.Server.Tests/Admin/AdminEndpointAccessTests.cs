using System.Net;
using Microsoft.AspNetCore.Builder;
using TopGun.Server.Hosting;

namespace TopGun.Server.Tests.Admin;

/// <summary>
/// The loopback-only rule of <c>GET /admin/cluster</c>, <c>GET /admin/partitions</c> and <c>GET /metrics</c> through the real host:
/// Kestrel, the endpoint routing and the endpoints' own check, with the peer address set per request.
/// </summary>
public sealed class AdminEndpointAccessTests(AdminNodes nodes) : IClassFixture<AdminNodes>
{
    private const string Remote = "203.0.113.7";
    private static readonly string[] Paths = ["/admin/cluster", "/admin/partitions?map=todos", "/metrics"];

    public static TheoryData<string> AdminPaths => new(Paths);

    [Theory]
    [MemberData(nameof(AdminPaths))]
    public async Task A_non_loopback_caller_gets_403_while_allow_remote_is_off(string path)
    {
        using var response = await GetAsync(nodes.LoopbackOnly, path, peer: Remote);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("loopback callers only", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2001:db8::7")]
    [InlineData("::ffff:203.0.113.7")]
    public async Task A_non_loopback_ipv6_or_ipv4_mapped_caller_gets_403_while_allow_remote_is_off(string peer)
    {
        using var response = await GetAsync(nodes.LoopbackOnly, "/admin/cluster", peer);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("/admin/cluster", "\"status\":\"Up\"")]
    [InlineData("/admin/partitions?map=todos", "\"node\":\"open-to-remote\"")]
    [InlineData("/metrics", "topgun_node_ready 1")]
    public async Task A_non_loopback_caller_gets_the_view_once_allow_remote_is_on(string path, string expected)
    {
        using var response = await GetAsync(nodes.OpenToRemote, path, peer: Remote);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public async Task A_loopback_caller_gets_the_cluster_view_whatever_allow_remote_says(string? peer)
    {
        foreach (var node in new[] { nodes.LoopbackOnly, nodes.OpenToRemote })
        {
            using var response = await GetAsync(node, "/admin/cluster", peer);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("\"status\":\"Up\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_loopback_caller_gets_the_partitions_view_while_allow_remote_is_off()
    {
        using var response = await GetAsync(nodes.LoopbackOnly, "/admin/partitions?map=todos", peer: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"map\":\"todos\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("X-Forwarded-For", "127.0.0.1")]
    [InlineData("X-Forwarded-For", "::1")]
    [InlineData("X-Real-IP", "127.0.0.1")]
    [InlineData("Forwarded", "for=127.0.0.1")]
    public async Task A_forwarding_header_naming_loopback_does_not_let_a_remote_caller_in(string header, string value)
    {
        foreach (var path in Paths)
        {
            using var response = await GetAsync(nodes.LoopbackOnly, path, Remote, (header, value));

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    private static async Task<HttpResponseMessage> GetAsync(WebApplication node, string path, string? peer, (string Name, string Value)? header = null)
    {
        using var http = new HttpClient { BaseAddress = node.HttpAddress() };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (peer is not null) request.Headers.Add(PeerAddressOverride.HeaderName, peer);
        if (header is { } h) request.Headers.TryAddWithoutValidation(h.Name, h.Value);
        return await http.SendAsync(request);
    }
}
