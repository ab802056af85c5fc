using Akka.Actor;
using TopGun.Server.Serialization;

namespace TopGun.Server.Tests.Serialization;

internal sealed class TestNotesSerializer : TopGunMessageSerializer
{
    public const int SerializerId = 4729;

    public static readonly ManifestRegistry Manifests = ManifestRegistry.Create()
        .Add<NoteAdded>("test.note-added.v1", NoteAdded.Write, NoteAdded.Read)
        .AddLegacy<NoteAdded>("test.note-added.v0", NoteAdded.ReadV0)
        .Add<NotesSnapshot>("test.notes-snapshot.v1", NotesSnapshot.Write, NotesSnapshot.Read)
        .Build();

    public TestNotesSerializer(ExtendedActorSystem system) : base(system, Manifests) { }

    public override int Identifier => SerializerId;
}
