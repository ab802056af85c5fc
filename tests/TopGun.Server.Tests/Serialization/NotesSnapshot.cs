using MessagePack;
using TopGun.Server.Serialization;

namespace TopGun.Server.Tests.Serialization;

public sealed record NotesSnapshot(IReadOnlyList<string> Texts) : ITopGunSerializable
{
    public static void Write(ref MessagePackWriter writer, NotesSnapshot snapshot)
    {
        writer.WriteArrayHeader(snapshot.Texts.Count);
        foreach (var text in snapshot.Texts) writer.Write(text);
    }

    public static NotesSnapshot Read(ref MessagePackReader reader)
    {
        var count = reader.ReadArrayHeader();
        var texts = new string[count];
        for (var i = 0; i < count; i++) texts[i] = reader.ReadString()!;
        return new NotesSnapshot(texts);
    }
}
