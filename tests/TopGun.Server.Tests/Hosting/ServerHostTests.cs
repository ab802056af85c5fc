using System.Net;
using System.Net.WebSockets;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using TopGun.Server.Configuration;
using TopGun.Server.Gateway;
using TopGun.Server.Hosting;
using TopGun.Server.Readiness;
using TopGun.Server.Tests.Support;
using TopGun.Server.Modules;

namespace TopGun.Server.Tests.Hosting;

/// <summary>The real host (Kestrel + ActorSystem + SQLite) in-process on OS-assigned ports.</summary>
public sealed class ServerHostTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();
    private readonly HttpClient _http = new();
    private readonly HeldStartupStep _held = new();
    private readonly RecordingGateway _recording = new();
    private WebApplication _app = null!;
    private WebApplication? _replacedGatewayApp;

    public async Task InitializeAsync()
    {
        var node = NodeConfigurationLoader.Load(TestNode.Environment(_dir.Path, ("TOPGUN_NODE_ID", "host-test")));
        _app = TopGunHost.Build(node, services => services.AddSingleton<INodeStartupStep>(_held));
        await _app.StartAsync();
    }

    [Fact]
    public async Task Health_is_ok_and_ready_turns_200_once_startup_steps_and_the_journal_are_done()
    {
        var health = await _http.GetAsync(new Uri(_app.HttpAddress(), "/health"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        // The held startup step keeps the node from being ready, whatever the cluster and journal do.
        var early = await _http.GetAsync(new Uri(_app.HttpAddress(), "/ready"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
        Assert.Contains("\"startupSteps\":false", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        _held.Release();
        await _app.Services.GetRequiredService<ReadinessState>().WhenReady.WaitAsync(Timeout);

        var ready = await _http.GetAsync(new Uri(_app.HttpAddress(), "/ready"));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("\"status\":\"ready\"", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(_held.System);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/ws")]
    public async Task WebSocket_upgrade_is_accepted_and_closed_1011_until_the_protocol_is_wired(string path)
    {
        using var client = new ClientWebSocket();
        await client.ConnectAsync(new Uri(_app.WebSocketAddress(), path), CancellationToken.None);
        Assert.Equal(WebSocketState.Open, client.State);

        var buffer = new byte[256];
        var received = await client.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(WebSocketMessageType.Close, received.MessageType);
        Assert.Equal(WebSocketCloseStatus.InternalServerError, client.CloseStatus);
        Assert.Equal("not ready", client.CloseStatusDescription);
    }

    [Fact]
    public async Task Plain_http_on_the_websocket_path_asks_for_an_upgrade()
    {
        var response = await _http.GetAsync(new Uri(_app.HttpAddress(), "/ws"));

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
    }

    [Fact]
    public async Task A_replacement_gateway_receives_the_socket_with_the_configured_frame_limit()
    {
        var node = NodeConfigurationLoader.Load(TestNode.Environment(Path.Combine(_dir.Path, "second")))
            .WithSettings(s => s.WithLimits(s.Limits.WithMaxFrameBytes(4096)));
        _replacedGatewayApp = TopGunHost.Build(node, services => services.AddSingleton<IConnectionGateway>(_recording));
        await _replacedGatewayApp.StartAsync();

        using var client = new ClientWebSocket();
        await client.ConnectAsync(new Uri(_replacedGatewayApp.WebSocketAddress(), "/ws"), CancellationToken.None);
        var info = await _recording.Connected.WaitAsync(Timeout);

        Assert.Equal("/ws", info.Path);
        Assert.Equal(4096, info.MaxFrameBytes);
        Assert.False(string.IsNullOrEmpty(info.ConnectionId));
    }

    public async Task DisposeAsync()
    {
        _held.Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_replacedGatewayApp is not null)
        {
            await _replacedGatewayApp.StopAsync();
            await _replacedGatewayApp.DisposeAsync();
        }
        _http.Dispose();
        _dir.Dispose();
    }

    private sealed class HeldStartupStep : INodeStartupStep
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ActorSystem? System { get; private set; }

        public void Release() => _release.TrySetResult();

        public async Task RunAsync(ActorSystem system, CancellationToken cancellationToken)
        {
            System = system;
            await _release.Task.WaitAsync(cancellationToken);
        }
    }

    private sealed class RecordingGateway : IConnectionGateway
    {
        private readonly TaskCompletionSource<ClientConnectionInfo> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<ClientConnectionInfo> Connected => _connected.Task;

        public async Task RunAsync(WebSocket socket, ClientConnectionInfo connection, CancellationToken cancellationToken)
        {
            _connected.TrySetResult(connection);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "recorded", cancellationToken);
        }
    }
}
