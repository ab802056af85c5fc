namespace TopGun.Core.Clock;

/// <summary>
/// Node ids are non-empty lowercase ASCII without ':' (the separator of the string form) so that
/// ordinal comparison agrees with the TS peers' <c>localeCompare</c>.
/// </summary>
public static class NodeId
{
    public const int MaxLength = 128;

    public static bool IsValid(string? id, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(id)) { error = "node id must not be empty"; return false; }
        if (id.Length > MaxLength) { error = $"node id must be at most {MaxLength} characters"; return false; }
        foreach (var c in id)
        {
            if (c == ':') { error = "node id must not contain ':'"; return false; }
            if (c > 0x7E || c < 0x21) { error = "node id must be printable ASCII without spaces"; return false; }
            if (c is >= 'A' and <= 'Z') { error = "node id must be lowercase"; return false; }
        }
        return true;
    }

    public static string Validate(string id) =>
        IsValid(id, out var error) ? id : throw new ArgumentException($"Invalid node id '{id}': {error}", nameof(id));

    /// <summary>A fresh random id, e.g. for a client that has none persisted yet.</summary>
    public static string NewId(string prefix = "n") => prefix + "-" + Guid.NewGuid().ToString("n")[..16];
}
