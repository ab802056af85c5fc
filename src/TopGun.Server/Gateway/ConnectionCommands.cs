using TopGun.Core.Protocol;
using TopGun.Server.Clients;

namespace TopGun.Server.Gateway;

/// <summary>What the socket pump tells a <see cref="ConnectionActor"/> (node-local, never serialized).</summary>
internal static class ConnectionCommands
{
    /// <summary>A decoded client frame. Each one holds an inbound credit until <see cref="IClientChannel.FrameProcessed"/>.</summary>
    public sealed record InboundFrame(Message Message);

    /// <summary>A client frame that did not decode. Holds an inbound credit like <see cref="InboundFrame"/>.</summary>
    public sealed record InboundRejected(DecodeError Error);

    /// <summary>The socket is gone (closed by the client, aborted, or closed by us).</summary>
    public sealed record ConnectionLost
    {
        public static readonly ConnectionLost Instance = new();
    }

    /// <summary>The node is stopping: warn the client, let in-flight writes finish, close 1001.</summary>
    public sealed record ShutdownRequested
    {
        public static readonly ShutdownRequested Instance = new();
    }
}
