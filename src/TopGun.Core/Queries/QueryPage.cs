namespace TopGun.Core.Queries;

/// <summary>One page of a query's results, ready to become a QUERY_RESP.</summary>
public sealed record QueryPage(
    IReadOnlyList<QueryCandidate> Results,
    string? NextCursor,
    bool HasMore,
    CursorStatus CursorStatus);
