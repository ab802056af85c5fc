using TopGun.Core.Crdt;
using TopGun.Server.Serialization;
namespace TopGun.Server.Maps;

/// <summary>The map's kind; differs from the claim when another kind was fixed first. Safe to cache: it never changes.</summary>
internal sealed record MapTypeClaimed(string MapName, MapKind Actual) : IMapSerializable;
