using Akka.Actor;
using Akka.Serialization;

namespace TopGun.Server.Serialization;

/// <summary>
/// Base of every TopGun serializer: MessagePack bodies, string manifests from a
/// <see cref="ManifestRegistry"/>, and a fixed identifier (reserved range 4711-4730) that is stored
/// next to every journal row and must never change. A module (maps, locks, replication…) derives
/// one serializer with its own identifier and registry and binds its types to it in reference.conf.
/// </summary>
internal abstract class TopGunMessageSerializer : SerializerWithStringManifest
{
    protected TopGunMessageSerializer(ExtendedActorSystem system, ManifestRegistry registry) : base(system)
    {
        Registry = registry ?? throw new ArgumentNullException(nameof(registry));
    }

    public ManifestRegistry Registry { get; }

    public override string Manifest(object o) => Registry.ManifestFor(o);

    public override byte[] ToBinary(object obj) => Registry.Write(obj);

    public override object FromBinary(byte[] bytes, string manifest) => Registry.Read(bytes, manifest);
}
