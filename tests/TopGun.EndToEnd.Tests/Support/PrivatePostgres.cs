using System.Diagnostics;
using System.Globalization;

namespace TopGun.EndToEnd.Tests.Support;

/// <summary>
/// A PostgreSQL cluster of the test's own (initdb into a temp dir, its own free port), for tests that
/// stop and start the database: the shared test server must never be stopped, other suites run on it.
/// As root the server runs as the <c>postgres</c> user (PostgreSQL refuses root). The binaries come from
/// TOPGUN_TEST_PG_BIN (set by the test script) or the newest /usr/lib/postgresql/*/bin.
/// fsync is off (the OS keeps what was written: an immediate stop is a process crash, not a power loss),
/// but synchronous_commit stays on: with it off a commit is answered before its WAL is written, and an
/// immediate stop would lose acknowledged rows.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    private readonly string _bin;
    private readonly TempDirectory _dir = new("topgun-private-pg-");
    private readonly bool _asPostgresUser = Environment.UserName == "root";

    private PrivatePostgres(string bin, int port)
    {
        _bin = bin;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50";

    private string DataDir => Path.Combine(_dir.Path, "data");

    /// <summary>Creates and starts the cluster; fails (never skips) when no PostgreSQL binaries are installed.</summary>
    public static async Task<PrivatePostgres> StartAsync()
    {
        var pg = new PrivatePostgres(FindBinaries(), ServerProcess.FreePort());
        try
        {
            if (pg._asPostgresUser) await RunAsync("chown", ["postgres", pg._dir.Path]);
            await pg.RunPgAsync("initdb", ["-D", pg.DataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8"]);
            await pg.StartAgainAsync();
            return pg;
        }
        catch
        {
            await pg.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the (stopped) server on the same port and data; returns once it accepts connections.</summary>
    public Task StartAgainAsync() =>
        RunPgAsync("pg_ctl", [
            "-D", DataDir, "-l", Path.Combine(_dir.Path, "log"), "-w", "-o",
            $"-p {Port.ToString(CultureInfo.InvariantCulture)} -k {_dir.Path} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200",
            "start",
        ]);

    /// <summary><c>pg_ctl stop -m immediate</c>: every backend is killed at once, open connections break mid-query.</summary>
    public Task StopImmediatelyAsync() => RunPgAsync("pg_ctl", ["-D", DataDir, "-m", "immediate", "-w", "stop"]);

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(DataDir, "postmaster.pid")))
        {
            try
            {
                await StopImmediatelyAsync();
            }
            catch (Exception)
            {
                // Best effort: the temp dir goes anyway, and a stray server dies with its data dir's lock file.
            }
        }
        _dir.Dispose();
    }

    private static string FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("TOPGUN_TEST_PG_BIN") is { Length: > 0 } fromScript && File.Exists(Path.Combine(fromScript, "pg_ctl")))
            return fromScript;
        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderBy(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
                .LastOrDefault()
            : null;
        if (installed is null)
            Assert.Fail("No PostgreSQL binaries found (TOPGUN_TEST_PG_BIN or /usr/lib/postgresql/*/bin): `apt-get install -y postgresql`, or run scripts/test.sh.");
        return installed!;
    }

    private Task RunPgAsync(string tool, IReadOnlyList<string> args)
    {
        var exe = Path.Combine(_bin, tool);
        return _asPostgresUser ? RunAsync("runuser", ["-u", "postgres", "--", exe, .. args]) : RunAsync(exe, args);
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(CommandTimeout);
        if (process.ExitCode != 0)
            Assert.Fail($"`{file} {string.Join(' ', args)}` exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
    }
}
