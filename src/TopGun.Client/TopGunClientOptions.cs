using System.Text.Json;
using TopGun.Core.Clock;

namespace TopGun.Client;

/// <summary>
/// Settings of a <see cref="TopGunClient"/>. Immutable; use <c>with</c> to derive variants.
/// </summary>
public sealed record TopGunClientOptions
{
    /// <summary>WebSocket URL of a TopGun server (<c>ws://host:port/</c>); null keeps the client local-only.</summary>
    public Uri? ServerUrl { get; init; }

    /// <summary>
    /// The client's HLC node id (lowercase ASCII, no <c>:</c>). Null: the id stored in the local store,
    /// or a new one that is then stored, so a restarted client keeps its identity.
    /// </summary>
    public string? NodeId { get; init; }

    /// <summary>SQLite file of the local store. Ignored when <see cref="InMemoryStore"/> is set.</summary>
    public string DatabasePath { get; init; } = "topgun-client.db";

    /// <summary>Keeps the local store in memory: nothing survives the process (tests, throwaway clients).</summary>
    public bool InMemoryStore { get; init; }

    /// <summary>A fixed JWT; <see cref="TokenProvider"/> wins when both are set.</summary>
    public string? Token { get; init; }

    /// <summary>Asked for a token before every connection attempt, so a refreshed token is used on reconnect.</summary>
    public Func<CancellationToken, ValueTask<string?>>? TokenProvider { get; init; }

    /// <summary>Longest time the op log waits before committing a write (group commit); 0 commits as soon as the writer wakes.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>First reconnect delay; doubles per failed attempt up to <see cref="BackoffMax"/>, with ±50% jitter.</summary>
    public TimeSpan BackoffInitial { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive failed attempts before the client stays <see cref="ConnectionState.Disconnected"/>; null retries forever.</summary>
    public int? MaxReconnectAttempts { get; init; }

    /// <summary>Time allowed to open the socket.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Without a PONG for this long the connection counts as dead and is replaced.</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Ops per OP_BATCH frame.</summary>
    public int OpBatchSize { get; init; } = 500;

    /// <summary>OP_BATCH frames awaiting OP_ACK at once; bounds what a reconnect has to resend.</summary>
    public int MaxInFlightBatches { get; init; } = 4;

    /// <summary>Unacknowledged writes allowed before <see cref="Backpressure"/> applies.</summary>
    public int MaxPendingOps { get; init; } = 100_000;

    public BackpressureStrategy Backpressure { get; init; } = BackpressureStrategy.Pause;

    /// <summary>System.Text.Json settings of typed maps and queries; null = <see cref="JsonSerializerDefaults.Web"/> (camelCase).</summary>
    public JsonSerializerOptions? JsonOptions { get; init; }

    /// <summary>Clock used for HLC timestamps (tests pass a manual one).</summary>
    public ITimeSource? TimeSource { get; init; }
}
