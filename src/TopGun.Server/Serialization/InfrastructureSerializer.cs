using Akka.Actor;
using TopGun.Server.Readiness;

namespace TopGun.Server.Serialization;

/// <summary>Node infrastructure types (readiness probe). Identifier 4711, stored in journal rows: never change it.</summary>
public sealed class InfrastructureSerializer : TopGunMessageSerializer
{
    public const int SerializerId = 4711;

    public static readonly ManifestRegistry Manifests = ManifestRegistry.Create()
        .Add<JournalProbed>(JournalProbed.Manifest, JournalProbed.Write, JournalProbed.Read)
        .Build();

    public InfrastructureSerializer(ExtendedActorSystem system) : base(system, Manifests) { }

    public override int Identifier => SerializerId;
}
