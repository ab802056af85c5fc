using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using TopGun.EndToEnd.Tests.Support;

namespace TopGun.EndToEnd.Tests.Cluster;

/// <summary>
/// One node of a <see cref="ProcessCluster"/>: the server process plus its admin views over HTTP. The node keeps
/// its environment (node id, ports, data dir, seeds), so a restart brings back the same node, as an orchestrator would.
/// </summary>
public sealed class ClusterNodeProcess(string name, int clusterPort, IReadOnlyDictionary<string, string> environment, ServerProcess server, HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly List<string> _earlierOutputs = [];

    public string Name { get; } = name;

    public int ClusterPort { get; } = clusterPort;

    /// <summary>The current incarnation's process; replaced by <see cref="RestartAsync"/>.</summary>
    public ServerProcess Server { get; private set; } = server;

    /// <summary>Stable across restarts: the client port is fixed in the environment.</summary>
    public Uri Address => Server.Address;

    public Uri HttpAddress => new UriBuilder(Server.Address) { Scheme = "http" }.Uri;

    public bool Killed { get; private set; }

    /// <summary>Between the SIGTERM of a restart and the new incarnation being ready.</summary>
    public bool Restarting { get; private set; }

    /// <summary>What every incarnation printed, oldest first, for failure messages.</summary>
    public string AllOutput => string.Concat(_earlierOutputs.Select((o, i) => $"--- {Name} incarnation {i + 1}\n{o}")) + $"--- {Name} current incarnation\n{Server.Output}";

    public async Task KillAsync()
    {
        await Server.KillAsync();
        Killed = true;
    }

    /// <summary>
    /// SIGTERM, wait for the process to exit 0 by itself, then start it again with the same environment and wait
    /// until it is ready (which includes being an Up member of a cluster).
    /// </summary>
    public async Task<(TimeSpan StopToExit, TimeSpan StartToReady)> RestartAsync(TimeSpan exitTimeout)
    {
        Restarting = true;
        var stopping = Stopwatch.StartNew();
        await Server.TerminateAsync();
        try
        {
            await Server.WaitForExitAsync(exitTimeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{Name} did not exit within {exitTimeout} of SIGTERM. Its output:\n{Server.Output}");
        }
        var stopToExit = stopping.Elapsed;
        Assert.True(Server.ExitCode == 0, $"{Name} exited with {Server.ExitCode} after SIGTERM. Its output:\n{Server.Output}");
        _earlierOutputs.Add(Server.Output);
        await Server.DisposeAsync();

        var starting = Stopwatch.StartNew();
        Server = await ServerProcess.StartAsync(environment);
        Restarting = false;
        return (stopToExit, starting.Elapsed);
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
