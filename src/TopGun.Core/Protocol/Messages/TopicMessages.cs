using MessagePack;
using TopGun.Core.Values;

namespace TopGun.Core.Protocol;

/// <summary>C→S: subscribe to a topic.</summary>
public sealed record TopicSubMessage(string Topic) : Message
{
    public override string Type => MessageTypes.TopicSub;

    internal override void Write(ref MessagePackWriter w) => SingleField.Write(ref w, "TOPIC_SUB"u8, "topic"u8, Topic);

    internal static TopicSubMessage Read(ref WireReader r) => new(SingleField.Read(ref r, "topic"u8, "topic"));
}

/// <summary>C→S: unsubscribe from a topic.</summary>
public sealed record TopicUnsubMessage(string Topic) : Message
{
    public override string Type => MessageTypes.TopicUnsub;

    internal override void Write(ref MessagePackWriter w) => SingleField.Write(ref w, "TOPIC_UNSUB"u8, "topic"u8, Topic);

    internal static TopicUnsubMessage Read(ref WireReader r) => new(SingleField.Read(ref r, "topic"u8, "topic"));
}

/// <summary>C→S: publish <see cref="Data"/> to a topic.</summary>
public sealed record TopicPubMessage(string Topic, Value Data) : Message
{
    public override string Type => MessageTypes.TopicPub;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "TOPIC_PUB"u8);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 2);
        WireWriter.Str(ref w, "topic"u8, Topic);
        WireWriter.Any(ref w, "data"u8, Data);
    }

    internal static TopicPubMessage Read(ref WireReader r)
    {
        string? topic = null;
        Value? data = null;
        var n = r.Payload();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("topic"u8)) topic = r.Str("topic");
            else if (k.SequenceEqual("data"u8)) data = r.Any("data");
            else r.Skip();
        }
        return new TopicPubMessage(r.Required(topic, "topic"), data ?? Value.Null);
    }
}

/// <summary>S→C: a message published to a subscribed topic; <see cref="Timestamp"/> is the server's wall clock (ms).</summary>
public sealed record TopicMessageMessage(string Topic, Value Data, double Timestamp, string? PublisherId = null) : Message
{
    public override string Type => MessageTypes.TopicMessage;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "TOPIC_MESSAGE"u8);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 3 + WireWriter.Count(PublisherId is not null));
        WireWriter.Str(ref w, "topic"u8, Topic);
        WireWriter.Any(ref w, "data"u8, Data);
        if (PublisherId is not null) WireWriter.Str(ref w, "publisherId"u8, PublisherId);
        WireWriter.Float(ref w, "timestamp"u8, Timestamp);
    }

    internal static TopicMessageMessage Read(ref WireReader r)
    {
        string? topic = null, publisherId = null;
        Value? data = null;
        double? ts = null;
        var n = r.Payload();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("topic"u8)) topic = r.Str("topic");
            else if (k.SequenceEqual("data"u8)) data = r.Any("data");
            else if (k.SequenceEqual("publisherId"u8)) publisherId = r.OptStr("publisherId");
            else if (k.SequenceEqual("timestamp"u8)) ts = r.Num("timestamp");
            else r.Skip();
        }
        return new TopicMessageMessage(r.Required(topic, "topic"), data ?? Value.Null, r.Required(ts, "timestamp"), publisherId);
    }
}
