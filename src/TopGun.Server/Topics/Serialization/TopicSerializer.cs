using Akka.Actor;
using MessagePack;
using TopGun.Server.Serialization;
using static TopGun.Server.Maps.Serialization.MapFormats;

namespace TopGun.Server.Topics.Serialization;

/// <summary>
/// Topics module: publishes crossing nodes (never persisted). Identifier 4714: never change it. Bodies are
/// arrays whose readers skip trailing elements they do not know; the data travels as its wire-form value bytes.
/// </summary>
public sealed class TopicSerializer : TopGunMessageSerializer
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

    private static TopicPublished ReadPublished(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var m = new TopicPublished(ReadString(ref r), ReadValue(ref r), ReadString(ref r), r.ReadInt64());
        Skip(ref r, n, 4);
        return m;
    }
}
