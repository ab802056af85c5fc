namespace TopGun.Server.Maps;

/// <summary>The CRDT a map uses; fixed map-wide by its first op (see <see cref="ClaimMapType"/>).</summary>
public enum MapKind
{
    Lww = 0,
    Or = 1,
}
