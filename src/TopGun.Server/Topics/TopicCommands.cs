namespace TopGun.Server.Topics;

/// <summary>
/// What a connection asks its node's <see cref="TopicRouter"/> (always local, so never serialized). The sender
/// is the connection: the router watches it, so its subscriptions end with it.
/// </summary>
internal static class TopicCommands
{
    /// <summary>Adds the sender to the local subscribers of <see cref="Topic"/>; idempotent.</summary>
    public sealed record Subscribe(string Topic);

    /// <summary>Removes the sender from the local subscribers of <see cref="Topic"/>; idempotent.</summary>
    public sealed record Unsubscribe(string Topic);

    /// <summary>Publishes to every subscriber of the topic in the cluster (the publisher skips its own copy).</summary>
    public sealed record Publish(TopicPublished Message);
}
