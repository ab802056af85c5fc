namespace TopGun.Client.Storage;

/// <summary>The CRDT a map holds; fixed by its first use, as on the server.</summary>
public enum MapKind
{
    Lww = 1,
    Or = 2,
}
