using MessagePack;
using TopGun.Server.Serialization;

namespace TopGun.Server.Readiness;

/// <summary>Persisted by the readiness probe: proves the journal accepts writes. Also the reference example of a versioned format.</summary>
internal sealed record JournalProbed(string NodeId, long AtMillis) : ITopGunSerializable
{
    public const string Manifest = "infra.journal-probed.v1";

    // v1 layout: [nodeId, atMillis]. Readers skip trailing fields so a later v1-compatible writer may append.
    public static void Write(ref MessagePackWriter writer, JournalProbed message)
    {
        writer.WriteArrayHeader(2);
        writer.Write(message.NodeId);
        writer.Write(message.AtMillis);
    }

    public static JournalProbed Read(ref MessagePackReader reader)
    {
        var count = reader.ReadArrayHeader();
        if (count < 2) throw new MessagePackSerializationException($"{Manifest} needs 2 fields, got {count}.");
        var nodeId = reader.ReadString() ?? throw new MessagePackSerializationException($"{Manifest}: node id is nil.");
        var at = reader.ReadInt64();
        for (var i = 2; i < count; i++) reader.Skip();
        return new JournalProbed(nodeId, at);
    }
}
