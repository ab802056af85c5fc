using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Values;

namespace TopGun.Client.Storage;

/// <summary>
/// The local store's record format: the protocol's own record object (<c>{value, timestamp, ttlMs?}</c>,
/// plus <c>tag</c> for OR records) as MessagePack through <see cref="ValueCodec"/>, so a stored row
/// reads like a wire record.
/// </summary>
internal static class RecordCodec
{
    public static byte[] Encode(LwwRecord record)
    {
        var entries = new List<KeyValuePair<string, Value>>(3)
        {
            new("value", record.Value),
            new("timestamp", record.Timestamp.ToValue()),
        };
        if (record.TtlMs is { } ttl) entries.Add(new("ttlMs", Value.Of(ttl)));
        return ValueCodec.Serialize(new MapValue(entries.ToArray()));
    }

    public static byte[] Encode(OrMapRecord record)
    {
        var entries = new List<KeyValuePair<string, Value>>(4)
        {
            new("value", record.Value),
            new("timestamp", record.Timestamp.ToValue()),
            new("tag", Value.Of(record.Tag)),
        };
        if (record.TtlMs is { } ttl) entries.Add(new("ttlMs", Value.Of(ttl)));
        return ValueCodec.Serialize(new MapValue(entries.ToArray()));
    }

    public static LwwRecord DecodeLww(byte[] data)
    {
        var map = (MapValue)ValueCodec.Deserialize(data);
        return new LwwRecord(map["value"] ?? Value.Null, ReadTimestamp(map["timestamp"]), ReadTtl(map["ttlMs"]));
    }

    public static OrMapRecord DecodeOr(byte[] data)
    {
        var map = (MapValue)ValueCodec.Deserialize(data);
        map["tag"]!.TryGetString(out var tag);
        return new OrMapRecord(map["value"] ?? Value.Null, ReadTimestamp(map["timestamp"]), tag, ReadTtl(map["ttlMs"]));
    }

    private static Timestamp ReadTimestamp(Value? value)
    {
        if (value is not MapValue ts || !ts["millis"]!.TryGetNumber(out var millis) || !ts["counter"]!.TryGetNumber(out var counter)
            || !ts["nodeId"]!.TryGetString(out var nodeId))
            throw new FormatException("stored record has no valid timestamp");
        return new Timestamp((long)millis, (int)counter, nodeId);
    }

    private static long? ReadTtl(Value? value) => value is not null && value.TryGetNumber(out var ttl) ? (long)ttl : null;
}
