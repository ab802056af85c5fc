using System.Net.WebSockets;
using Akka.Actor;
using TopGun.Core.Protocol;
using TopGun.Server.Clients;

namespace TopGun.Server.Tests.Gateway;

/// <summary>An <see cref="IClientChannel"/> that forwards everything a connection sends to a probe.</summary>
public sealed class ProbeChannel(IActorRef probe) : IClientChannel
{
    public sealed record Closed(WebSocketCloseStatus Status, string Reason);

    private int _credits;

    /// <summary>Inbound frames handed back by the actor.</summary>
    public int Credits => Volatile.Read(ref _credits);

    public bool Send(Message message)
    {
        probe.Tell(message);
        return true;
    }

    public void Close(WebSocketCloseStatus status, string reason) => probe.Tell(new Closed(status, reason));

    public void FrameProcessed() => Interlocked.Increment(ref _credits);
}
