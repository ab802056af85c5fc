using Akka.Actor;
using TopGun.Core.Protocol;
using TopGun.Core.Queries;
using TopGun.Server.Clients;
using TopGun.Server.Maps;
using TopGun.Server.Security;

namespace TopGun.Server.Queries;

/// <summary>
/// QUERY_SUB and QUERY_UNSUB at one connection: validated, authorized (READ, and no filter or sort on a hidden
/// field) and parsed here, while the frame still holds its inbound credit, then handed to the connection's
/// <see cref="LiveQuerySession"/> child, which holds every live query and its change feed.
/// </summary>
internal sealed class LiveQueryRoute(IConnectionScope connection, LiveQueryDependencies deps, int maxQueryIdLength) : ISessionRoute
{
    private IActorRef? _session;
    private bool _closed;

    /// <summary>Live queries as a connection feature; <paramref name="MaxQueryIdLength"/> bounds a client's query ids.</summary>
    public sealed record Feature(LiveQueryDependencies Deps, int MaxQueryIdLength) : IConnectionFeature
    {
        public ISessionRoute Open(IConnectionScope connection) => new LiveQueryRoute(connection, Deps, MaxQueryIdLength);
    }

    public bool TryRoute(Message message)
    {
        switch (message)
        {
            case QuerySubMessage sub:
                OnSubscribe(sub);
                return true;
            case QueryUnsubMessage unsub:
                _session?.Tell(new LiveQuerySession.Unsubscribe(unsub.QueryId));
                return true;
            default:
                return false;
        }
    }

    /// <summary>Changes come to the connection, subscribed in its name, so a writer's OP_ACK precedes its own change's QUERY_UPDATE.</summary>
    public bool TryDeliver(object message)
    {
        if (message is not MapChanged changed) return false;
        if (!_closed) _session?.Tell(changed);
        return true;
    }

    public void Close()
    {
        _closed = true;
        if (_session is { } session) connection.StopSession(session);
        _session = null;
    }

    private void OnSubscribe(QuerySubMessage sub)
    {
        if (string.IsNullOrEmpty(sub.QueryId) || sub.QueryId.Length > maxQueryIdLength)
        {
            connection.InvalidMessage($"QUERY_SUB payload.queryId: must be 1 to {maxQueryIdLength} characters");
            return;
        }
        if (connection.CheckMapName(sub.MapName) is { } mapError)
        {
            connection.InvalidMessage("QUERY_SUB " + mapError);
            return;
        }
        var grant = connection.Grant(sub.MapName);
        if (!grant.Allows(AccessAction.Read))
        {
            connection.Denied($"{MessageTypes.QuerySub} on map '{sub.MapName}'", ServerErrors.DeniedOnMap(MessageTypes.QuerySub, sub.MapName));
            return;
        }
        if (!QuerySpec.TryParse(sub.Query, out var spec, out var queryError))
        {
            connection.Channel.Send(ServerErrors.InvalidQuery(queryError));
            return;
        }
        if (QueryAccess.HiddenFieldsOf(spec, grant.Fields) is { Count: > 0 } hidden)
        {
            connection.Channel.Send(ServerErrors.QueryUsesHiddenFields(hidden));
            return;
        }
        Session().Tell(new LiveQuerySession.Subscribe(sub.QueryId, sub.MapName, spec, grant.Fields));
    }

    private IActorRef Session() =>
        _session ??= connection.StartSession(LiveQuerySession.Props(connection.ClientId, connection.Channel, deps), "queries");
}
