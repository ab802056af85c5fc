namespace TopGun.Server.Security;

/// <summary>
/// One rule of <c>topgun.security.policies</c>: principals with <see cref="Role"/> may do <see cref="Actions"/> on
/// resources whose name matches <see cref="Pattern"/>; when <see cref="Fields"/> is set, reads see only those
/// top-level fields of a value.
/// </summary>
/// <remarks>
/// Patterns: <c>*</c> (everything), <c>prefix*</c> (a trailing star, prefix match) or an exact name, each with
/// <c>{userId}</c> replaced by the principal's user id. The star is taken from the configured pattern only, so a
/// user id that itself contains <c>*</c> matches literally and cannot widen a private pattern.
/// </remarks>
internal sealed record AccessPolicy(string Role, string Pattern, AccessAction Actions, IReadOnlyList<string>? Fields = null)
{
    public const string UserIdPlaceholder = "{userId}";

    /// <summary>The policy a node runs with when none are configured: every USER may do anything.</summary>
    public static readonly AccessPolicy DefaultUserPolicy = new("USER", "*", AccessAction.All);

    public bool MatchesResource(string resource, string userId)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var prefix = Pattern.EndsWith('*');
        var template = prefix ? Pattern[..^1] : Pattern;
        var expanded = template.Replace(UserIdPlaceholder, userId, StringComparison.Ordinal);
        return prefix
            ? resource.StartsWith(expanded, StringComparison.Ordinal)
            : string.Equals(resource, expanded, StringComparison.Ordinal);
    }

    public override string ToString() =>
        $"{Role} {Pattern} {Actions}" + (Fields is null ? "" : $" fields=[{string.Join(",", Fields)}]");
}
