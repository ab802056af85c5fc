using System.Globalization;
using TopGun.LoadGen.Client;

namespace TopGun.LoadGen;

/// <summary>Command line of the load generator: <c>SCENARIO --option value ...</c>.</summary>
public sealed record LoadGenOptions
{
    public const string Usage = """
        TopGun load generator (loopback targets only)

          dotnet run -c Release --project src/TopGun.LoadGen -- SCENARIO [options]

        Scenarios:
          write        N clients x M ops in OP_BATCHes of B; waits for every OP_ACK; ops/s and ack latency
          fanout       one writer, K subscribers (QUERY_SUB); write -> QUERY_UPDATE / SERVER_EVENT latency
          connections  open and hold C authenticated connections; accept rate and server RSS

        Options (defaults in brackets):
          --url URL[,URL...]   server WebSocket URL(s) [ws://127.0.0.1:8080/]; with several (the nodes of
                               one cluster), client i connects to URL number i mod count; write
                               reports acked ops/s in total and per URL
          --token JWT          token for AUTH, or
          --jwt-secret SECRET  mint an HS256 token per client with this secret
          --map NAME           map to write [a fresh loadgen-<random> map per run]
          --clients N          write: concurrent writers [10]
          --ops M              write: ops per client [5000]; fanout: ops written [1000]
          --batch B            ops per OP_BATCH [write 100, fanout 1]
          --inflight W         write: unacknowledged batches per client [1]
          --subscribers K      fanout: subscribers [50]
          --connections C      connections: sockets to open [1000]
          --parallel P         connections: connects in flight [32]
          --hold SECONDS       connections: hold time before closing [5]
          --server-pid PID     read the server's VmRSS from /proc/PID/status
          --timeout SECONDS    hard stop for the whole run [120]
        """;

    public required string Scenario { get; init; }
    /// <summary>The targets, in the order given; never empty.</summary>
    public IReadOnlyList<Uri> Urls { get; init; } = [new("ws://127.0.0.1:8080/")];

    /// <summary>The first target (the only one in single-node runs).</summary>
    public Uri Url => Urls[0];
    public string? Token { get; init; }
    public string? JwtSecret { get; init; }
    public string Map { get; init; } = "loadgen-" + Guid.NewGuid().ToString("n")[..8];
    public int Clients { get; init; } = 10;
    public int? Ops { get; init; }
    public int? Batch { get; init; }
    public int InFlight { get; init; } = 1;
    public int Subscribers { get; init; } = 50;
    public int Connections { get; init; } = 1000;
    public int Parallel { get; init; } = 32;
    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(5);
    public int? ServerPid { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Round-robin: consecutive clients land on consecutive nodes, so every node gets the same share (±1).</summary>
    public Uri UrlFor(int client) => Urls[client % Urls.Count];

    /// <summary>The targets as given on the command line, for the scenarios' first output line.</summary>
    public string UrlList => string.Join(",", Urls);

    /// <summary>The token client number <paramref name="client"/> authenticates with.</summary>
    public string TokenFor(int client) =>
        Token ?? HsTokens.Mint(JwtSecret ?? throw new ArgumentException("Give --token or --jwt-secret."), $"loadgen-{client}");

    public static LoadGenOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0].StartsWith('-')) throw new ArgumentException("The first argument must be a scenario: write, fanout or connections.");
        var scenario = args[0];
        if (scenario is not ("write" or "fanout" or "connections")) throw new ArgumentException($"Unknown scenario '{scenario}'.");
        var options = new LoadGenOptions { Scenario = scenario };
        for (var i = 1; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count) throw new ArgumentException($"{name} needs a value.");
            var value = args[++i];
            options = name switch
            {
                "--url" => options with { Urls = ParseUrls(value) },
                "--token" => options with { Token = value },
                "--jwt-secret" => options with { JwtSecret = value },
                "--map" => options with { Map = value },
                "--clients" => options with { Clients = Positive(name, value) },
                "--ops" => options with { Ops = Positive(name, value) },
                "--batch" => options with { Batch = Positive(name, value) },
                "--inflight" => options with { InFlight = Positive(name, value) },
                "--subscribers" => options with { Subscribers = Positive(name, value) },
                "--connections" => options with { Connections = Positive(name, value) },
                "--parallel" => options with { Parallel = Positive(name, value) },
                "--hold" => options with { Hold = TimeSpan.FromSeconds(Positive(name, value)) },
                "--server-pid" => options with { ServerPid = Positive(name, value) },
                "--timeout" => options with { Timeout = TimeSpan.FromSeconds(Positive(name, value)) },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }
        if (options.Token is null && options.JwtSecret is null) throw new ArgumentException("Give --token or --jwt-secret.");
        return options;
    }

    private static Uri[] ParseUrls(string value)
    {
        var urls = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(LoopbackTarget.Parse).ToArray();
        if (urls.Length == 0) throw new ArgumentException("--url needs at least one ws:// URL.");
        if (urls.Distinct().Count() != urls.Length) throw new ArgumentException($"--url lists the same URL twice: '{value}'.");
        return urls;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} must be a positive integer, not '{value}'.");
}
