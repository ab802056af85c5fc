namespace TopGun.Server.Security;

/// <summary>The authenticated identity of a client connection.</summary>
internal sealed record Principal(string UserId, IReadOnlyList<string> Roles)
{
    public static readonly IReadOnlyList<string> DefaultRoles = ["USER"];

    public bool HasRole(string role) => Roles.Contains(role, StringComparer.Ordinal);

    public override string ToString() => $"{UserId} [{string.Join(",", Roles)}]";
}
