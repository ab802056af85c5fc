using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace TopGun.Client.Tests.RealServer;

/// <summary>
/// The built TopGun.Server running as a child process on a fixed port, configured through its
/// environment. Ready once it prints <c>TopGun ready on ws://HOST:PORT</c>.
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _outputLock = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process) => _process = process;

    public string Output
    {
        get
        {
            lock (_outputLock) return _output.ToString();
        }
    }

    /// <summary>A port that was free a moment ago: the server must keep one port across restarts so clients reconnect to the same URL.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", [ServerExecutable.Locate()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("TOPGUN_", StringComparison.Ordinal)).ToArray())
            start.Environment.Remove(key);
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var server = new ServerProcess(new Process { StartInfo = start, EnableRaisingEvents = true });
        server._process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        server._process.Exited += (_, _) => server._ready.TrySetException(new InvalidOperationException("The server exited before it was ready."));
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        try
        {
            await server._ready.Task.WaitAsync(StartTimeout);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"The server did not become ready ({e.Message}). Its output:\n{server.Output}", e);
        }
        return server;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_outputLock) _output.AppendLine(line);
        if (ReadyLine().IsMatch(line)) _ready.TrySetResult();
    }

    [GeneratedRegex(@"TopGun ready on ws://[^\s:/]+:\d+")]
    private static partial Regex ReadyLine();

    /// <summary>
    /// SIGKILL (<see cref="Process.Kill(bool)"/> on Unix), like a crash: no connection is closed politely and
    /// nothing is flushed. <c>dotnet TopGun.Server.dll</c> runs the server in this very process, so the server
    /// itself is killed. Returns the exit code: 137 (128 + SIGKILL) when the kill ended it.
    /// </summary>
    public async Task<int> KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(StartTimeout);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
