using TopGun.Core.Crdt;
using TopGun.Server.Serialization;
namespace TopGun.Server.Maps;

/// <summary>
/// Sent to the "map-type" region (entity id = <see cref="MapName"/>): fixes the map's kind on first use.
/// Always answered with <see cref="MapTypeClaimed"/> carrying the kind that actually holds.
/// </summary>
internal sealed record ClaimMapType(string MapName, MapKind Kind) : IMapSerializable;
