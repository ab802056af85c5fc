using TopGun.Core.Crdt;

namespace TopGun.Client.Storage;

/// <summary>
/// The numbers the local store's <c>maps.kind</c> column holds. Every store written so far uses them,
/// so they are fixed here rather than taken from <see cref="MapKind"/>'s values: the enum can be
/// renumbered or replaced by a shared one without rewriting anyone's database.
/// </summary>
internal static class MapKindColumn
{
    public const int Lww = 1;
    public const int Or = 2;

    public static int ToColumn(MapKind kind) => kind switch
    {
        MapKind.Lww => Lww,
        MapKind.Or => Or,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown map kind"),
    };

    public static MapKind FromColumn(int value) => value switch
    {
        Lww => MapKind.Lww,
        Or => MapKind.Or,
        _ => throw new InvalidDataException($"local store: maps.kind {value} is neither LWW ({Lww}) nor OR ({Or})"),
    };
}
