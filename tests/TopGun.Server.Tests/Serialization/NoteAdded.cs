using MessagePack;
using TopGun.Server.Serialization;

namespace TopGun.Server.Tests.Serialization;

/// <summary>A module-style event defined outside the server assembly, to prove the serializer base is extensible.</summary>
public sealed record NoteAdded(string Text, long Order) : ITopGunSerializable
{
    public static void Write(ref MessagePackWriter writer, NoteAdded message)
    {
        writer.WriteArrayHeader(2);
        writer.Write(message.Text);
        writer.Write(message.Order);
    }

    public static NoteAdded Read(ref MessagePackReader reader)
    {
        var count = reader.ReadArrayHeader();
        var text = reader.ReadString()!;
        var order = reader.ReadInt64();
        for (var i = 2; i < count; i++) reader.Skip();
        return new NoteAdded(text, order);
    }

    /// <summary>The superseded v0 format: just the text, as a bare string.</summary>
    public static NoteAdded ReadV0(ref MessagePackReader reader) => new(reader.ReadString()!, 0);
}
