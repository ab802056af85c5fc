using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TopGun.Benchmarks;

/// <summary>
/// The built TopGun.Server (Release) as a child process with SQLite in a temp data dir, for the
/// client's end-to-end benchmarks. Set TOPGUN_SERVER_DLL to use another build.
/// </summary>
public sealed class ClientBenchServer : IAsyncDisposable
{
    private const string Secret = "client-benchmark-secret-0123456789abcdef";

    private readonly Process _process;
    private readonly string _dataDir;
    private readonly StringBuilder _output = new();

    private ClientBenchServer(Process process, string dataDir, Uri url)
    {
        _process = process;
        _dataDir = dataDir;
        Url = url;
    }

    public Uri Url { get; }

    public string Token { get; } = Mint("client-benchmark");

    public static async Task<ClientBenchServer> StartAsync()
    {
        var port = FreePort();
        var dataDir = Path.Combine(Path.GetTempPath(), "topgun-client-bench-" + Guid.NewGuid().ToString("n")[..12]);
        Directory.CreateDirectory(dataDir);
        var start = new ProcessStartInfo("dotnet", [LocateServer()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("TOPGUN_", StringComparison.Ordinal)).ToArray())
            start.Environment.Remove(key);
        start.Environment["TOPGUN_HOST"] = "127.0.0.1";
        start.Environment["TOPGUN_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["TOPGUN_CLUSTER_PORT"] = "0";
        start.Environment["TOPGUN_DATA_DIR"] = dataDir;
        start.Environment["TOPGUN_STORAGE"] = "sqlite";
        start.Environment["TOPGUN_JWT_SECRET"] = Secret;

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = new ClientBenchServer(new Process { StartInfo = start, EnableRaisingEvents = true }, dataDir, new Uri($"ws://127.0.0.1:{port}/"));
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (server._output) server._output.AppendLine(line);
            if (line.Contains("TopGun ready on ws://", StringComparison.Ordinal)) ready.TrySetResult();
        }
        server._process.OutputDataReceived += (_, e) => OnLine(e.Data);
        server._process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        server._process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("The server exited before it was ready."));
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            await server.DisposeAsync();
            lock (server._output) throw new InvalidOperationException("The server did not become ready: " + server._output, e);
        }
        return server;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>src/TopGun.Server/bin/Release/&lt;tfm&gt;/TopGun.Server.dll above BenchmarkDotNet's generated host folder.</summary>
    private static string LocateServer()
    {
        if (Environment.GetEnvironmentVariable("TOPGUN_SERVER_DLL") is { Length: > 0 } explicitPath) return explicitPath;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "TopGun.Server", "bin", "Release", "net10.0", "TopGun.Server.dll");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("TopGun.Server.dll not found: run `dotnet build -c Release src/TopGun.Server` first, or set TOPGUN_SERVER_DLL.");
    }

    private static string Mint(string subject)
    {
        var claims = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["sub"] = subject,
            ["roles"] = new[] { "USER" },
            ["exp"] = DateTimeOffset.UtcNow.AddHours(6).ToUnixTimeSeconds(),
        });
        var header = Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8);
        var body = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.ASCII.GetBytes(header + "." + body));
        return header + "." + body + "." + Base64Url.EncodeToString(signature);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // The killed server's files may linger a moment; the OS temp cleaner gets them.
        }
    }
}
