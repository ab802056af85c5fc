namespace TopGun.Server.Configuration;

/// <summary>When a client write is acknowledged (<c>topgun.ack</c>).</summary>
public enum AckMode
{
    /// <summary>After the journal write: an acked op survives a crash.</summary>
    Persisted,

    /// <summary>After the in-memory merge: lower latency, an acked op can be lost on a crash.</summary>
    Memory,
}
