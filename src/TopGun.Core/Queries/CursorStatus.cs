namespace TopGun.Core.Queries;

/// <summary>What became of the cursor a query carried; reported as QUERY_RESP's <c>cursorStatus</c>.</summary>
public enum CursorStatus
{
    /// <summary>The query carried no cursor.</summary>
    None,
    /// <summary>The cursor was honoured: the page starts after it.</summary>
    Valid,
    /// <summary>The cursor is older than <see cref="QueryCursor.MaxAgeMillis"/>; the first page was returned.</summary>
    Expired,
    /// <summary>The cursor is garbage or belongs to another predicate/sort; the first page was returned.</summary>
    Invalid,
}

public static class CursorStatusExtensions
{
    /// <summary>The lower-case name the protocol uses (<c>none|valid|expired|invalid</c>).</summary>
    public static string ToWireName(this CursorStatus status) => status switch
    {
        CursorStatus.Valid => "valid",
        CursorStatus.Expired => "expired",
        CursorStatus.Invalid => "invalid",
        _ => "none",
    };
}
