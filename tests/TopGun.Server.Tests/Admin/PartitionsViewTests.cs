using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TopGun.Server.Hosting;

namespace TopGun.Server.Tests.Admin;

/// <summary><c>GET /admin/partitions</c> on nodes with and without a replica host.</summary>
public sealed class PartitionsViewTests(AdminNodes nodes) : IClassFixture<AdminNodes>
{
    [Fact]
    public async Task A_node_without_backups_answers_the_partitions_view_with_no_replicas()
    {
        using var http = new HttpClient { BaseAddress = nodes.OpenToRemote.HttpAddress() };

        using var response = await http.GetAsync("/admin/partitions?map=todos");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("open-to-remote", view.GetProperty("node").GetString());
        Assert.Equal(0, view.GetProperty("replicas").GetArrayLength());
    }

    [Fact]
    public async Task A_node_with_backups_answers_the_partitions_view_too()
    {
        using var http = new HttpClient { BaseAddress = nodes.LoopbackOnly.HttpAddress() };

        using var response = await http.GetAsync("/admin/partitions?map=todos");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("loopback-only", view.GetProperty("node").GetString());
        Assert.Equal(JsonValueKind.Array, view.GetProperty("replicas").ValueKind);
    }
}
