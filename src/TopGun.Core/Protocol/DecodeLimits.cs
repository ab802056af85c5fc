namespace TopGun.Core.Protocol;

/// <summary>Bounds that keep decoding of hostile frames cheap; every frame is checked against them before any allocation.</summary>
public sealed record DecodeLimits
{
    public static readonly DecodeLimits Default = new();

    /// <summary>Deepest nesting of arrays/maps accepted (the protocol itself needs fewer than 10 levels).</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Most elements of one array or entries of one map.</summary>
    public int MaxCollectionLength { get; init; } = 1_000_000;

    /// <summary>How deep BATCH frames may nest inside each other.</summary>
    public int MaxBatchNesting { get; init; } = 4;
}
