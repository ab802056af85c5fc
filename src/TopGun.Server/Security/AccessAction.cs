namespace TopGun.Server.Security;

/// <summary>What a policy grants on a map (or on another named resource such as <c>topic:chat</c>).</summary>
[Flags]
internal enum AccessAction
{
    None = 0,
    Read = 1,
    Put = 2,
    Remove = 4,
    All = Read | Put | Remove,
}
