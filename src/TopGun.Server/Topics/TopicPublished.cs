using TopGun.Core.Values;
using TopGun.Server.Serialization;

namespace TopGun.Server.Topics;

/// <summary>
/// Node to node (never persisted): one publish, sent through DistributedPubSub once to every node with
/// subscribers of <see cref="Topic"/>, whose <see cref="TopicRouter"/> hands it to its local connections.
/// <see cref="PublisherId"/> is the publishing connection's client id (so that connection skips it: no echo);
/// <see cref="Timestamp"/> is the publishing node's wall clock in ms, the same for every subscriber.
/// </summary>
internal sealed record TopicPublished(string Topic, Value Data, string PublisherId, long Timestamp) : ITopicSerializable
{
    /// <summary>The DistributedPubSub topic of a protocol topic; prefixed so it can never collide with other pub-sub users.</summary>
    public static string PubSubTopic(string topic) => "topgun-topic:" + topic;
}
