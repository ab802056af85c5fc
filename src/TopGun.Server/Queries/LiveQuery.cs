using TopGun.Server.Maps;

namespace TopGun.Server.Queries;

/// <summary>
/// One live query of a <see cref="LiveQuerySession"/>: its <see cref="QueryWindow"/> and where it is in its
/// life (a page being gathered, answered once, a refill waiting), with the changes held while a page is out.
/// </summary>
internal sealed class LiveQuery
{
    private const int MaxBufferedChanges = 10_000;

    public LiveQuery(string mapName, QueryWindow window)
    {
        MapName = mapName;
        Window = window;
    }

    public string Id => Window.QueryId;

    public string MapName { get; }

    public QueryWindow Window { get; }

    /// <summary>False while a page (snapshot or refill) is being gathered.</summary>
    public bool Ready { get; set; }

    /// <summary>True once the snapshot was sent; a later failed refill keeps the query alive.</summary>
    public bool Answered { get; set; }

    public bool RefillPending { get; set; }

    /// <summary>The feed's changes held while a page is out, whole, so each keeps its partition's sequence number.</summary>
    public List<MapChanged> Buffered { get; } = [];

    /// <summary>
    /// Per partition, the journal sequence number the window's last page was answered at: the page holds every
    /// change of that partition up to it. A partition of an older build answers without one and is absent.
    /// </summary>
    public Dictionary<string, long> PageSequenceNrs { get; } = new(StringComparer.Ordinal);

    private int _bufferedChanges;

    /// <summary>
    /// Holds a change until the page being gathered is out. The buffer is bounded: past the limit the
    /// changes are dropped and one more page is asked for afterwards, which covers all of them.
    /// </summary>
    public void Buffer(MapChanged changed)
    {
        if (RefillPending) return;
        if (_bufferedChanges + changed.Changes.Count <= MaxBufferedChanges)
        {
            Buffered.Add(changed);
            _bufferedChanges += changed.Changes.Count;
            return;
        }
        ClearBuffer();
        RefillPending = true;
    }

    public void ClearBuffer()
    {
        Buffered.Clear();
        _bufferedChanges = 0;
    }

    /// <summary>
    /// True when the page the window was last filled from already holds <paramref name="changed"/> of
    /// <paramref name="partition"/>; false also when either side has no sequence number to compare.
    /// </summary>
    public bool PageHolds(string partition, MapChanged changed) =>
        changed.SequenceNr is { } sequenceNr && PageSequenceNrs.TryGetValue(partition, out var page) && sequenceNr <= page;

    /// <summary>True when both the page and <paramref name="changed"/> of <paramref name="partition"/> have a sequence number.</summary>
    public bool CanCompare(string partition, MapChanged changed) =>
        changed.SequenceNr is not null && PageSequenceNrs.ContainsKey(partition);
}
