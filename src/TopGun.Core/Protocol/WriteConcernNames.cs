namespace TopGun.Core.Protocol;

/// <summary>The wire spelling of <see cref="WriteConcern"/> levels.</summary>
public static class WriteConcernNames
{
    public static string ToWire(this WriteConcern level) => level switch
    {
        WriteConcern.FireAndForget => "FIRE_AND_FORGET",
        WriteConcern.Memory => "MEMORY",
        WriteConcern.Applied => "APPLIED",
        WriteConcern.Replicated => "REPLICATED",
        WriteConcern.Persisted => "PERSISTED",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    internal static ReadOnlySpan<byte> ToUtf8(WriteConcern level) => level switch
    {
        WriteConcern.FireAndForget => "FIRE_AND_FORGET"u8,
        WriteConcern.Memory => "MEMORY"u8,
        WriteConcern.Applied => "APPLIED"u8,
        WriteConcern.Replicated => "REPLICATED"u8,
        WriteConcern.Persisted => "PERSISTED"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    public static bool TryParse(ReadOnlySpan<byte> utf8, out WriteConcern level)
    {
        if (utf8.SequenceEqual("MEMORY"u8)) level = WriteConcern.Memory;
        else if (utf8.SequenceEqual("PERSISTED"u8)) level = WriteConcern.Persisted;
        else if (utf8.SequenceEqual("APPLIED"u8)) level = WriteConcern.Applied;
        else if (utf8.SequenceEqual("REPLICATED"u8)) level = WriteConcern.Replicated;
        else if (utf8.SequenceEqual("FIRE_AND_FORGET"u8)) level = WriteConcern.FireAndForget;
        else { level = default; return false; }
        return true;
    }
}
