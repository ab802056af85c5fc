namespace TopGun.Core.Crdt;

/// <summary>
/// The CRDT a map holds (<see cref="LwwMap"/> or <see cref="OrMap"/>), fixed map-wide by its first op.
/// No member is zero, so an unset kind is never mistaken for LWW. Persisted and wire forms never write
/// these numbers: each format maps the kind explicitly, so the enum may be reordered without touching bytes.
/// </summary>
public enum MapKind
{
    Lww = 1,
    Or = 2,
}
