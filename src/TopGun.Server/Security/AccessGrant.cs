namespace TopGun.Server.Security;

/// <summary>What one principal may do on one resource: the union of every matching policy.</summary>
internal sealed record AccessGrant(AccessAction Actions, FieldFilter Fields)
{
    public static readonly AccessGrant Nothing = new(AccessAction.None, FieldFilter.AllFields);

    public static readonly AccessGrant Everything = new(AccessAction.All, FieldFilter.AllFields);

    public bool Allows(AccessAction action) => action != AccessAction.None && (Actions & action) == action;
}
