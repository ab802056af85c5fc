namespace TopGun.Server.Maps;

/// <summary>What happened to one op. A merge that changed nothing is still a success (ops are idempotent).</summary>
internal sealed record OpOutcome(string? OpId, bool Success, string? Error)
{
    public static OpOutcome Ok(string? opId) => new(opId, true, null);

    public static OpOutcome Failed(string? opId, string error) => new(opId, false, error);
}
