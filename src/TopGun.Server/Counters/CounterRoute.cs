using Akka.Actor;
using TopGun.Core.Protocol;
using TopGun.Server.Clients;
using TopGun.Server.Security;

namespace TopGun.Server.Counters;

/// <summary>
/// COUNTER_REQUEST and COUNTER_SYNC (protocol.md §5 "Counters.") at one connection: validated and authorized
/// here (resource <c>counter:&lt;name&gt;</c>, READ to request, PUT to sync), then handed to the connection's
/// <see cref="CounterSubscriptions"/> child, which talks to the counter entities and writes the replies.
/// </summary>
internal sealed class CounterRoute(IConnectionScope connection, CounterRegion counters) : ISessionRoute
{
    private IActorRef? _session;

    /// <summary>Counters as a connection feature, reached through the node's <see cref="CounterRegion"/>.</summary>
    public sealed record Feature(CounterRegion Counters) : IConnectionFeature
    {
        public ISessionRoute Open(IConnectionScope connection) => new CounterRoute(connection, Counters);
    }

    public bool TryRoute(Message message)
    {
        switch (message)
        {
            case CounterRequestMessage request:
                OnRequest(request);
                return true;
            case CounterSyncMessage sync:
                OnSync(sync);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Entities answer and push to the session itself, never through the connection.</summary>
    public bool TryDeliver(object message) => false;

    public void Close()
    {
        if (_session is { } session) connection.StopSession(session);
        _session = null;
    }

    private void OnRequest(CounterRequestMessage request)
    {
        if (CounterInput.CheckName(request.Name, counters.Settings) is { } invalid)
        {
            connection.InvalidMessage($"{request.Type}: {invalid}");
            return;
        }
        if (!MayUse(request.Type, request.Name, AccessAction.Read)) return;
        Session(request.Type)?.Tell(new CounterSubscriptions.Request(request.Name));
    }

    private void OnSync(CounterSyncMessage sync)
    {
        if (CounterInput.CheckName(sync.Name, counters.Settings) is { } invalid)
        {
            connection.InvalidMessage($"{sync.Type}: {invalid}");
            return;
        }
        if (!CounterInput.TryParseState(sync.State, counters.Settings, out var state, out var error))
        {
            connection.InvalidMessage($"{sync.Type} '{sync.Name}': {error}");
            return;
        }
        if (!MayUse(sync.Type, sync.Name, AccessAction.Put)) return;
        Session(sync.Type)?.Tell(new CounterSubscriptions.Sync(sync.Name, state));
    }

    private bool MayUse(string type, string name, AccessAction action)
    {
        if (connection.Grant(AccessControl.CounterResource(name)).Allows(action)) return true;
        connection.Denied($"{type} on counter '{name}'", ServerErrors.DeniedOnCounter(type, name));
        return false;
    }

    /// <summary>The counter child, started on first use; null (and the client told 503) while the region is not up.</summary>
    private IActorRef? Session(string type)
    {
        if (_session is not null) return _session;
        if (counters.Region is not { } region)
        {
            connection.LogRejected("Rejected input from client {0}: {1}", $"{type} before the counter region started");
            connection.Channel.Send(ServerErrors.CountersUnavailable());
            return null;
        }
        _session = connection.StartSession(CounterSubscriptions.Props(connection.Channel, region, counters.Settings), "counters");
        return _session;
    }
}
