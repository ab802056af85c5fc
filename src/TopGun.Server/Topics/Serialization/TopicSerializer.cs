using Akka.Actor;
using MessagePack;
using TopGun.Server.Serialization;
using static TopGun.Server.Maps.Serialization.MapFormats;
using static TopGun.Server.Serialization.Fields;

namespace TopGun.Server.Topics.Serialization;

/// <summary>
/// Topics module: publishes crossing nodes (never persisted). Identifier 4714: never change it. Bodies are
/// arrays whose readers skip trailing elements they do not know; the data travels as its wire-form value bytes.
/// </summary>
internal sealed class TopicSerializer : TopGunMessageSerializer
{
    public const int SerializerId = 4714;

    public static readonly ManifestRegistry Manifests = ManifestRegistry.Create()
        .Add<TopicPublished>("topic.published.v1", WritePublished, ReadPublished)
        .Build();

    public TopicSerializer(ExtendedActorSystem system) : base(system, Manifests) { }

    public override int Identifier => SerializerId;

    private static void WritePublished(ref MessagePackWriter w, TopicPublished m)
    {
        w.WriteArrayHeader(4);
        w.Write(m.Topic);
        WriteValue(ref w, m.Data);
        w.Write(m.PublisherId);
        w.Write(m.Timestamp);
    }

    private static TopicPublished ReadPublished(ref MessagePackReader r) =>
        Body.Read(ref r, 4, static (ref MessagePackReader b) => new TopicPublished(ReadString(ref b), ReadValue(ref b), ReadString(ref b), b.ReadInt64()));
}
