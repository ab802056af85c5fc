namespace TopGun.Core.Protocol;

/// <summary>Outcome of the structural pre-check of a frame.</summary>
internal enum FrameShape
{
    WellFormed,
    Malformed,
    TooDeep,
    TooLong,
}
