namespace TopGun.Server.Security;

/// <summary>
/// Evaluates <see cref="AccessPolicy"/> rules (protocol.md §5 "Access control"). ADMIN may do anything;
/// <c>$sys/</c> resources are ADMIN-only whatever the policies say; everything no policy grants is denied.
/// Actions of all matching policies add up; the visible fields are the union of the field lists of the
/// policies that grant READ (a READ policy without a list shows every field).
/// </summary>
internal sealed class AccessControl
{
    public const string AdminRole = "ADMIN";
    public const string SystemMapPrefix = "$sys/";

    public AccessControl(IReadOnlyList<AccessPolicy> policies, bool isDefault = false)
    {
        Policies = policies ?? throw new ArgumentNullException(nameof(policies));
        IsDefault = isDefault;
    }

    /// <summary>Every USER may do anything; what a node runs with when no policies are configured.</summary>
    public static AccessControl Default { get; } = new([AccessPolicy.DefaultUserPolicy], isDefault: true);

    public IReadOnlyList<AccessPolicy> Policies { get; }

    /// <summary>True when the policies were not configured and <see cref="AccessPolicy.DefaultUserPolicy"/> applies.</summary>
    public bool IsDefault { get; }

    /// <summary>The resource name ACLs use for a topic; maps use their plain name.</summary>
    public static string TopicResource(string topic) => "topic:" + topic;

    public static string LockResource(string name) => "lock:" + name;

    public static string CounterResource(string name) => "counter:" + name;

    public AccessGrant Resolve(Principal principal, string resource)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(resource);
        if (principal.HasRole(AdminRole)) return AccessGrant.Everything;
        if (resource.StartsWith(SystemMapPrefix, StringComparison.Ordinal)) return AccessGrant.Nothing;

        var actions = AccessAction.None;
        FieldFilter? fields = null;
        foreach (var policy in Policies)
        {
            if (!principal.HasRole(policy.Role) || !policy.MatchesResource(resource, principal.UserId)) continue;
            actions |= policy.Actions;
            if ((policy.Actions & AccessAction.Read) == 0) continue;
            var granted = policy.Fields is null ? FieldFilter.AllFields : FieldFilter.Of(policy.Fields);
            fields = fields is null ? granted : fields.Union(granted);
        }
        return actions == AccessAction.None ? AccessGrant.Nothing : new AccessGrant(actions, fields ?? FieldFilter.AllFields);
    }

    public override string ToString() => IsDefault
        ? "default policy (USER * ALL)"
        : Policies.Count == 0 ? "no policies (only ADMIN may act)" : string.Join("; ", Policies);
}
