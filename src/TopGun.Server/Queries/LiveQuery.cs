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

    public List<MapChange> Buffered { get; } = [];

    /// <summary>
    /// Holds a change until the page being gathered is out. The buffer is bounded: past the limit the
    /// changes are dropped and one more page is asked for afterwards, which covers all of them.
    /// </summary>
    public void Buffer(MapChange change)
    {
        if (RefillPending) return;
        if (Buffered.Count < MaxBufferedChanges)
        {
            Buffered.Add(change);
            return;
        }
        Buffered.Clear();
        RefillPending = true;
    }
}
