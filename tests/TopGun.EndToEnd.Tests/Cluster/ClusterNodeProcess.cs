using System.Net.Http.Json;
using System.Text.Json;
using TopGun.EndToEnd.Tests.Support;

namespace TopGun.EndToEnd.Tests.Cluster;

/// <summary>One node of a <see cref="ProcessCluster"/>: the server process plus its admin views over HTTP.</summary>
public sealed class ClusterNodeProcess(string name, int clusterPort, ServerProcess server, HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Name { get; } = name;

    public int ClusterPort { get; } = clusterPort;

    public ServerProcess Server { get; } = server;

    public Uri Address => Server.Address;

    public Uri HttpAddress => new UriBuilder(Server.Address) { Scheme = "http" }.Uri;

    public bool Killed { get; private set; }

    public async Task KillAsync()
    {
        await Server.KillAsync();
        Killed = true;
    }

    public Task<HttpResponseMessage> GetAsync(string pathAndQuery) => http.GetAsync(new Uri(HttpAddress, pathAndQuery));

    public async Task<AdminClusterView> ClusterViewAsync() =>
        await ReadAsync<AdminClusterView>("/admin/cluster");

    public async Task<AdminPartitionsView> PartitionsAsync(string mapName) =>
        await ReadAsync<AdminPartitionsView>("/admin/partitions?map=" + Uri.EscapeDataString(mapName));

    private async Task<T> ReadAsync<T>(string pathAndQuery)
    {
        using var response = await GetAsync(pathAndQuery);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{Name} answered {(int)response.StatusCode} to {pathAndQuery}: {body}");
        return JsonSerializer.Deserialize<T>(body, Json) ?? throw new InvalidOperationException($"{Name} answered null to {pathAndQuery}");
    }
}
