using Akka.Actor;
using MessagePack;

namespace TopGun.Server.Serialization;

/// <summary>
/// Field codecs every module's formats share. Actor refs travel as their serialized paths (with uid), so a ref read
/// on another node still names, and can watch, the very actor that was written.
/// </summary>
internal static class Fields
{
    public static string ReadString(ref MessagePackReader r) =>
        r.ReadString() ?? throw new MessagePackSerializationException("A required string is nil.");

    public static void WriteNullableString(ref MessagePackWriter w, string? s)
    {
        if (s is null) w.WriteNil(); else w.Write(s);
    }

    public static string? ReadNullableString(ref MessagePackReader r) => r.TryReadNil() ? null : r.ReadString();

    public static void WriteNullableInt64(ref MessagePackWriter w, long? value)
    {
        if (value is { } v) w.Write(v); else w.WriteNil();
    }

    public static long? ReadNullableInt64(ref MessagePackReader r) => r.TryReadNil() ? null : r.ReadInt64();

    /// <summary>A required <c>bin</c> field, copied out of the reader's buffer.</summary>
    public static byte[] ReadBin(ref MessagePackReader r, string what) =>
        System.Buffers.BuffersExtensions.ToArray(r.ReadBytes() ?? throw new MessagePackSerializationException($"{what} is missing."));

    public static void WriteList<T>(ref MessagePackWriter w, IReadOnlyList<T> items, MessageWriter<T> write)
    {
        w.WriteArrayHeader(items.Count);
        for (var i = 0; i < items.Count; i++) write(ref w, items[i]);
    }

    public static T[] ReadList<T>(ref MessagePackReader r, MessageReader<T> read)
    {
        var count = r.ReadArrayHeader();
        var items = new T[count];
        for (var i = 0; i < count; i++) items[i] = read(ref r);
        return items;
    }

    public static void WriteStrings(ref MessagePackWriter w, IReadOnlyList<string> items) =>
        WriteList(ref w, items, static (ref MessagePackWriter x, string s) => x.Write(s));

    public static string[] ReadStrings(ref MessagePackReader r) => ReadList(ref r, ReadString);

    public static void WriteActorRef(ref MessagePackWriter w, IActorRef actor) =>
        w.Write(Akka.Serialization.Serialization.SerializedActorPath(actor));

    public static IActorRef ReadActorRef(ref MessagePackReader r, ExtendedActorSystem system) =>
        system.Provider.ResolveActorRef(ReadString(ref r));
}
