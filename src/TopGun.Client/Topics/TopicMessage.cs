using TopGun.Core.Values;

namespace TopGun.Client.Topics;

/// <summary>A message received on a topic; <see cref="Timestamp"/> is the server's wall clock in ms.</summary>
public sealed record TopicMessage(string Topic, Value Data, double Timestamp, string? PublisherId);
