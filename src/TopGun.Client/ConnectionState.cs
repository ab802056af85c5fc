namespace TopGun.Client;

/// <summary>Where the sync engine's connection state machine is.</summary>
public enum ConnectionState
{
    /// <summary>Not connected and not trying: local-only client, or disposed.</summary>
    Disconnected,
    /// <summary>Opening the WebSocket.</summary>
    Connecting,
    /// <summary>Socket open, AUTH sent, waiting for AUTH_ACK.</summary>
    Authenticating,
    /// <summary>Authenticated; pushing pending ops and pulling Merkle differences.</summary>
    Syncing,
    /// <summary>Every pushed op acknowledged and every map's Merkle pull finished.</summary>
    Connected,
    /// <summary>Waiting before the next connection attempt.</summary>
    Backoff,
}
