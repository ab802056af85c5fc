using TopGun.Core.Crdt;
using TopGun.Server.Serialization;

namespace TopGun.Server.Maps;

/// <summary>The one event of a <see cref="MapTypeRegistry"/>: the map's kind, fixed forever.</summary>
internal sealed record MapTypeFixed(string MapName, MapKind Kind) : IMapSerializable;
