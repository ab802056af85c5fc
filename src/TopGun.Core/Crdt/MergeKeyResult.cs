namespace TopGun.Core.Crdt;

/// <summary>
/// What <see cref="OrMap.MergeKey"/> changed, so a server persists and broadcasts only what was new.
/// </summary>
/// <param name="Added">Records whose tag was not held before.</param>
/// <param name="Updated">Records that replaced a held record of the same tag (remote timestamp greater).</param>
/// <param name="NewTombstones">Tags that were not tombstoned before.</param>
/// <param name="Removed">Records the new tombstones removed, with their keys (a tag may live under another key).</param>
public sealed record MergeKeyResult(
    IReadOnlyList<OrMapRecord> Added,
    IReadOnlyList<OrMapRecord> Updated,
    IReadOnlyList<string> NewTombstones,
    IReadOnlyList<KeyValuePair<string, OrMapRecord>> Removed)
{
    public static MergeKeyResult Unchanged { get; } = new([], [], [], []);

    public bool Changed => Added.Count > 0 || Updated.Count > 0 || NewTombstones.Count > 0 || Removed.Count > 0;

    /// <summary>Added and updated records together: what to persist and send as OR_ADD.</summary>
    public IEnumerable<OrMapRecord> AddedOrUpdated => Added.Concat(Updated);
}
