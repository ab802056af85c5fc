using TopGun.Core.Protocol;

namespace TopGun.Server.Queries;

/// <summary>What one offered change did to a <see cref="QueryWindow"/>: the frames to send, then whether to refill.</summary>
internal readonly record struct WindowChange(IReadOnlyList<QueryUpdateMessage> Updates, bool NeedsRefill)
{
    public static WindowChange None => new([], false);
}
