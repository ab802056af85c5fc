using Akka.Actor;
using TopGun.Core.Protocol;
using TopGun.Core.Queries;
using TopGun.Server.Clients;
using TopGun.Server.Queries;
using TopGun.Server.Security;

namespace TopGun.Server.Gateway;

/// <summary>
/// QUERY_SUB and QUERY_UNSUB: validated, authorized (READ, and no filter or sort on a hidden field) and
/// parsed here, while the frame still holds its inbound credit, then handed to this connection's
/// <see cref="LiveQuerySession"/> child, which holds every live query and its change feed.
/// </summary>
public sealed partial class ConnectionActor
{
    private IActorRef? _liveQueries;

    private void OnQuerySub(QuerySubMessage sub)
    {
        if (string.IsNullOrEmpty(sub.QueryId) || sub.QueryId.Length > _deps.Gateway.MaxKeyLength)
        {
            InvalidMessage($"QUERY_SUB payload.queryId: must be 1 to {_deps.Gateway.MaxKeyLength} characters");
            return;
        }
        if (CheckMapName(sub.MapName) is { } mapError)
        {
            InvalidMessage("QUERY_SUB " + mapError);
            return;
        }
        var grant = Grant(sub.MapName);
        if (!grant.Allows(AccessAction.Read))
        {
            Denied(MessageTypes.QuerySub, sub.MapName);
            return;
        }
        if (!QuerySpec.TryParse(sub.Query, out var spec, out var queryError))
        {
            _channel.Send(ServerErrors.InvalidQuery(queryError));
            return;
        }
        if (QueryAccess.HiddenFieldsOf(spec, grant.Fields) is { Count: > 0 } hidden)
        {
            _channel.Send(ServerErrors.QueryUsesHiddenFields(hidden));
            return;
        }
        LiveQueries().Tell(new LiveQuerySession.Subscribe(sub.QueryId, sub.MapName, spec, grant.Fields));
    }

    private void OnQueryUnsub(string queryId) => _liveQueries?.Tell(new LiveQuerySession.Unsubscribe(queryId));

    /// <summary>The live-query child, started on the first query and stopped when the connection closes.</summary>
    private IActorRef LiveQueries() =>
        _liveQueries ??= Context.ActorOf(
            LiveQuerySession.Props(_clientId, _channel, new LiveQueryDependencies(
                _deps.Clock, _deps.Partitions, _deps.ChangeFeed, _deps.Settings.PartitionCount, _deps.Gateway.OpTimeout, _deps.Gateway.MaxQueriesPerClient)),
            "queries");
}
