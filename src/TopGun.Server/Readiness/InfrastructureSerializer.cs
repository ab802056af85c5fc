using Akka.Actor;
using TopGun.Server.Serialization;

namespace TopGun.Server.Readiness;

/// <summary>
/// Node infrastructure types (the readiness probe's journal event). Identifier 4711, stored in journal rows:
/// never change it. It lives with the type it writes, so Serialization (the kit) depends on no feature.
/// </summary>
internal sealed class InfrastructureSerializer : TopGunMessageSerializer
{
    public const int SerializerId = 4711;

    public static readonly ManifestRegistry Manifests = ManifestRegistry.Create()
        .Add<JournalProbed>(JournalProbed.Manifest, JournalProbed.Write, JournalProbed.Read)
        .Build();

    public InfrastructureSerializer(ExtendedActorSystem system) : base(system, Manifests) { }

    public override int Identifier => SerializerId;
}
