using MessagePack;

namespace TopGun.Server.Serialization;

/// <summary>
/// Every TopGun body is a MessagePack array: its header counts the fields the writer wrote, the reader takes the
/// ones its version knows and skips the rest, so a field appended at the end stays readable by older nodes.
/// </summary>
internal static class Body
{
    /// <summary>Reads one array body whose first <paramref name="known"/> fields <paramref name="readFields"/> takes.</summary>
    public static T Read<T>(ref MessagePackReader reader, int known, MessageReader<T> readFields)
    {
        var count = reader.ReadArrayHeader();
        var value = readFields(ref reader);
        Skip(ref reader, count, known);
        return value;
    }

    /// <summary>Skips the fields a newer writer appended beyond the <paramref name="known"/> ones of a body of <paramref name="count"/>.</summary>
    public static void Skip(ref MessagePackReader reader, int count, int known)
    {
        for (var i = known; i < count; i++) reader.Skip();
    }
}
