using TopGun.Core.Protocol;
using TopGun.Core.Values;
using TopGun.Server.Maps;

namespace TopGun.Server.Clients;

/// <summary>
/// Every ERROR frame the server sends a client, by name: its code, message and details are part of the
/// protocol (clients and tests match them), so they are written once here and nowhere else.
/// </summary>
internal static class ServerErrors
{
    private const string AccessDenied = "Access Denied";

    // Decoding and validation.

    public static ErrorMessage InvalidMessage(string details) => new(400, "Invalid message format", Value.Of(details));

    public static ErrorMessage NotImplemented(string type) => new(501, "Not implemented: " + type);

    // Access control (protocol.md §5).

    public static ErrorMessage DeniedOnMap(string type, string mapName) => new(403, AccessDenied, Value.Of($"{type} on map '{mapName}'"));

    public static ErrorMessage DeniedOnCounter(string type, string name) => new(403, AccessDenied, Value.Of($"{type} on counter '{name}'"));

    public static ErrorMessage DeniedOnTopic(string type, string topic) => new(403, AccessDenied, Value.Of($"{type} on topic '{topic}'"));

    public static ErrorMessage DeniedOnLock(string name) =>
        new(403, $"Access Denied for lock {name}", Value.Of($"{MessageTypes.LockRequest} on lock '{name}'"));

    // Writes.

    public static ErrorMessage BatchTooLarge(int ops, int maxOps) =>
        new(400, $"Batch too large: {ops} ops, the limit is {maxOps} (topgun.limits.max-batch-ops)");

    public static ErrorMessage OpRateExceeded(double perSecond, double burst, int ops) =>
        new(429, $"Rate limit exceeded: at most {perSecond} ops/s per client (burst {burst}); {ops} ops were not applied");

    public static ErrorMessage OperationRejected(int code, string? error) => new(code, "Operation rejected: " + error);

    public static ErrorMessage PartialBatchDenied(int denied) => new(403, $"Partial batch failure: {denied} ops denied");

    public static ErrorMessage PartialBatchRejected(int rejected, string? firstError) =>
        new(400, $"Partial batch failure: {rejected} ops rejected", Value.Of(firstError));

    // Merkle sync.

    public static ErrorMessage NotOfKind(string type, string mapName, string kindName) =>
        new(400, $"{type} on map '{mapName}': the map is not an {kindName} map");

    public static ErrorMessage PushDiffRejected(string reason) => new(400, "ORMAP_PUSH_DIFF rejected: " + reason);

    /// <summary>A sync step's partition gather failed: 503 when partitions did not answer in time, else 400.</summary>
    public static ErrorMessage SyncFailed(string what, string mapName, GatherFailure failure) =>
        new(CodeOf(failure), $"{what} on map '{mapName}' failed: {failure.Reason}");

    // Live queries.

    public static ErrorMessage InvalidQuery(string error) => new(400, "Invalid query", Value.Of(error));

    /// <summary>Filtering or sorting on a hidden field would reveal it one comparison at a time.</summary>
    public static ErrorMessage QueryUsesHiddenFields(IEnumerable<string> hidden) =>
        new(403, "Access Denied: the query uses fields you may not read", Value.Of(string.Join(", ", hidden)));

    public static ErrorMessage TooManyQueries(int max, string queryId) =>
        new(429, $"Too many live queries: at most {max} per client", Value.Of(queryId));

    /// <summary>The snapshot of a live query could not be gathered: 503 when partitions did not answer in time, else 400.</summary>
    public static ErrorMessage QueryFailed(string queryId, string mapName, GatherFailure failure) =>
        new(CodeOf(failure), $"Query '{queryId}' on map '{mapName}' failed: {failure.Reason}");

    // Counters.

    public static ErrorMessage CountersUnavailable() => new(503, "Counters unavailable", Value.Of("the counter region is not started on this node"));

    public static ErrorMessage InvalidCounterState(string reason) => new(400, "Invalid counter state", Value.Of(reason));

    public static ErrorMessage TooManyCounterSubscriptions(int max) =>
        new(429, "Too many counter subscriptions", Value.Of($"at most {max} counters per client"));

    public static ErrorMessage CounterUnavailable(string name) => new(503, "Counter unavailable", Value.Of($"counter '{name}' did not answer in time"));

    // Locks.

    public static ErrorMessage LocksUnavailable(string name) => new(503, "Locks are not available on this node", Value.Of(name));

    public static ErrorMessage TooManyLockRequests(int max, string requestId) =>
        new(429, $"Too many waiting lock requests: at most {max} per client", Value.Of(requestId));

    public static ErrorMessage LockRefused(string reason, string requestId) => new(429, reason, Value.Of(requestId));

    // Topics.

    public static ErrorMessage TooManyTopicSubscriptions(int max, string topic) =>
        new(429, $"Too many topic subscriptions: at most {max} per client (topgun.topics.max-subscriptions-per-client)", Value.Of(topic));

    public static ErrorMessage TopicPublishRateExceeded(double perSecond, double burst, string topic) =>
        new(429, $"Rate limit exceeded: at most {perSecond} topic publishes/s per client (burst {burst}); the message was not published", Value.Of(topic));

    public static ErrorMessage TopicsUnavailable(string topic) => new(503, "Topics are not available on this node yet", Value.Of(topic));

    private static int CodeOf(GatherFailure failure) => failure is GatherFailure.TimedOut ? 503 : 400;
}
