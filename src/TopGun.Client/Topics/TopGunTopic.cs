using Akka.Actor;
using TopGun.Client.Internal;
using TopGun.Client.Mapping;
using TopGun.Client.Sync;
using TopGun.Core.Protocol;
using TopGun.Core.Values;

namespace TopGun.Client.Topics;

/// <summary>
/// A pub/sub topic (TOPIC_SUB / TOPIC_PUB / TOPIC_MESSAGE). Not persisted: publishes made offline
/// are queued in memory (the oldest dropped beyond 1,000) and sent after the next authentication;
/// the server never echoes a message to its publisher. The server subscription exists while at
/// least one observer is subscribed and is renewed on every reconnect.
/// </summary>
public sealed class TopGunTopic : IObservable<TopicMessage>
{
    private readonly ClientCore _core;

    internal TopGunTopic(ClientCore core, string name)
    {
        _core = core;
        Name = name;
    }

    public string Name { get; }

    public void Publish(Value data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _core.Engine.Tell(new EngineMessages.PublishTopic(Name, data));
    }

    /// <summary>Publishes any object, mapped through System.Text.Json like map values.</summary>
    public void Publish<TData>(TData data) => Publish(JsonValues.FromObject(data));

    public IDisposable Subscribe(IObserver<TopicMessage> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var sink = new Sink(Name, observer);
        _core.Engine.Tell(new EngineMessages.SubscribeTopic(sink));
        return new Unsubscriber(_core, sink);
    }

    private sealed class Sink(string topic, IObserver<TopicMessage> observer) : ITopicSink
    {
        public string Topic { get; } = topic;

        public void OnMessage(TopicMessageMessage message)
        {
            try { observer.OnNext(new TopicMessage(message.Topic, message.Data, message.Timestamp, message.PublisherId)); }
            catch { /* an observer's failure must not break the sync engine */ }
        }
    }

    private sealed class Unsubscriber(ClientCore core, ITopicSink sink) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) core.Engine.Tell(new EngineMessages.UnsubscribeTopic(sink));
        }
    }
}
