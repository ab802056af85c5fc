using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace TopGun.Tests.Support;

/// <summary>
/// The built TopGun.Server executable running as a child process, configured only through its environment as an
/// operator would. Unless the caller says otherwise it listens on 127.0.0.1 with port 0 (client and cluster), so the
/// server picks free ports; the address comes from its <c>TopGun ready on ws://HOST:PORT</c> log line, which it prints
/// once /ready would answer 200. A suite that must keep one URL across restarts passes TOPGUN_PORT from <see cref="FreePort"/>.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _outputLock = new();
    private readonly TaskCompletionSource<Uri> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process) => _process = process;

    public Uri Address { get; private set; } = null!;

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the server printed so far (stdout and stderr), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_outputLock) return _output.ToString();
        }
    }

    /// <summary>A port that was free a moment ago: for a server that must keep one port across restarts so clients reconnect to the same URL.</summary>
    public static int FreePort() => FreePorts(1)[0];

    /// <summary><paramref name="count"/> distinct ports that were free a moment ago (all held at once, so none repeats).</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var l in listeners) l.Start();
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var l in listeners) l.Stop();
        }
    }

    /// <summary>
    /// Starts the server with <paramref name="environment"/> (on top of a clean TOPGUN_* slate and the loopback/port-0
    /// defaults) and waits until it is ready; fails with the server's output when it exits or times out first.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var server = new ServerProcess(new Process { StartInfo = StartInfo(environment), EnableRaisingEvents = true });
        server._process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        server._process.Exited += (_, _) => server._ready.TrySetException(new InvalidOperationException("The server exited before it was ready."));
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        try
        {
            server.Address = await server._ready.Task.WaitAsync(StartTimeout);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            await server.DisposeAsync();
            Assert.Fail($"The server did not become ready ({e.Message}). Its output:\n{server.Output}");
        }
        return server;
    }

    /// <summary>
    /// How <see cref="StartAsync"/> starts the server, for a test that runs the process itself (one that must exit
    /// before it is ready): <c>dotnet TopGun.Server.dll</c>, output redirected, <paramref name="environment"/> on top of
    /// a clean TOPGUN_* slate and the loopback/port-0 defaults.
    /// </summary>
    public static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", [ServerExecutable.Locate()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("TOPGUN_", StringComparison.Ordinal)).ToArray())
            start.Environment.Remove(key);
        start.Environment["TOPGUN_PORT"] = "0";
        start.Environment["TOPGUN_CLUSTER_PORT"] = "0";
        start.Environment["TOPGUN_HOST"] = "127.0.0.1";
        foreach (var (key, value) in environment) start.Environment[key] = value;
        return start;
    }

    /// <summary>
    /// SIGKILL (<see cref="Process.Kill(bool)"/> on Unix), like a crash or an OOM kill: no shutdown code runs, no
    /// connection is closed politely and nothing is flushed. <c>dotnet TopGun.Server.dll</c> runs the server in this
    /// very process, so the server itself is killed. Returns the exit code: 137 (128 + SIGKILL) when the kill ended it.
    /// </summary>
    public async Task<int> KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(StartTimeout);
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, as an orchestrator's stop sends it; the server drains and exits by itself.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        await kill.WaitForExitAsync().WaitAsync(StartTimeout);
        Assert.Equal(0, kill.ExitCode);
    }

    public Task WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync().WaitAsync(timeout);

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_outputLock) _output.AppendLine(line);
        if (ReadyLine().Match(line) is { Success: true } match)
            _ready.TrySetResult(new Uri($"ws://{match.Groups["host"].Value}:{match.Groups["port"].Value}/"));
    }

    [GeneratedRegex(@"TopGun ready on ws://(?<host>[^\s:/]+):(?<port>\d+)")]
    private static partial Regex ReadyLine();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(StartTimeout);
        }
        _process.Dispose();
    }
}
