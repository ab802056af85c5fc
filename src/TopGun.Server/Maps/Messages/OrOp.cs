using TopGun.Core.Crdt;

namespace TopGun.Server.Maps;

/// <summary>One OR-map op: an add (<see cref="Add"/>) or the removal of one tag (<see cref="RemoveTag"/>); exactly one is set.</summary>
internal sealed record OrOp(string? OpId, string Key, OrMapRecord? Add, string? RemoveTag);
