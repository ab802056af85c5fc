using Akka.Actor;
using TopGun.Core.Protocol;
using TopGun.Server.Clients;
using TopGun.Server.Counters;
using TopGun.Server.Security;

namespace TopGun.Server.Gateway;

/// <summary>
/// COUNTER_REQUEST and COUNTER_SYNC (protocol.md §5 "Counters."): validated and authorized here (resource
/// <c>counter:&lt;name&gt;</c>, READ to request, PUT to sync), then handed to this connection's
/// <see cref="CounterSubscriptions"/> child, which talks to the counter entities and writes the replies.
/// </summary>
public sealed partial class ConnectionActor
{
    private IActorRef? _counters;

    private void OnCounterRequest(CounterRequestMessage request)
    {
        if (CheckCounterName(request.Name) is { } invalid)
        {
            InvalidMessage($"{request.Type}: {invalid}");
            return;
        }
        if (!MayUseCounter(request.Type, request.Name, AccessAction.Read)) return;
        CounterChild(request.Type)?.Tell(new CounterSubscriptions.Request(request.Name));
    }

    private void OnCounterSync(CounterSyncMessage sync)
    {
        if (CheckCounterName(sync.Name) is { } invalid)
        {
            InvalidMessage($"{sync.Type}: {invalid}");
            return;
        }
        if (!CounterInput.TryParseState(sync.State, CounterRegion.Get(Context.System).Settings, out var state, out var error))
        {
            InvalidMessage($"{sync.Type} '{sync.Name}': {error}");
            return;
        }
        if (!MayUseCounter(sync.Type, sync.Name, AccessAction.Put)) return;
        CounterChild(sync.Type)?.Tell(new CounterSubscriptions.Sync(sync.Name, state));
    }

    private string? CheckCounterName(string name) => CounterInput.CheckName(name, CounterRegion.Get(Context.System).Settings);

    private bool MayUseCounter(string type, string name, AccessAction action)
    {
        if (Grant(AccessControl.CounterResource(name)).Allows(action)) return true;
        LogRejected("Client {0} was denied: {1}", $"{type} on counter '{name}' for {_principal}");
        _channel.Send(ServerErrors.DeniedOnCounter(type, name));
        return false;
    }

    /// <summary>The counter child, started on first use; null (and the client told 503) while the region is not up.</summary>
    private IActorRef? CounterChild(string type)
    {
        if (_counters is not null) return _counters;
        var counters = CounterRegion.Get(Context.System);
        if (counters.Region is not { } region)
        {
            LogRejected("Rejected input from client {0}: {1}", $"{type} before the counter region started");
            _channel.Send(ServerErrors.CountersUnavailable());
            return null;
        }
        _counters = Context.ActorOf(CounterSubscriptions.Props(_channel, region, counters.Settings), "counters");
        return _counters;
    }
}
