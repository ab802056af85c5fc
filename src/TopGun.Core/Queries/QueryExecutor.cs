namespace TopGun.Core.Queries;

/// <summary>
/// Runs a query over a set of live records: filter, resume after the cursor, order, cut one page.
/// For scatter-gather, each partition runs <see cref="SelectPartition"/> (at most limit+1 rows) and
/// the coordinator passes the union to <see cref="Merge"/>; both steps are idempotent, so the result
/// equals <see cref="Execute"/> over all records. Keys must be unique across the candidates.
/// </summary>
public static class QueryExecutor
{
    /// <summary>One page of <paramref name="candidates"/> for <paramref name="spec"/>, judging cursor age at <paramref name="nowMillis"/>.</summary>
    public static QueryPage Execute(IEnumerable<QueryCandidate> candidates, QuerySpec spec, long nowMillis)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(spec);
        var status = QueryCursor.TryDecode(spec.Cursor, spec, nowMillis, out var after);
        var rows = Select(candidates, spec, after);

        if (spec.Limit is not { } limit || rows.Count <= limit)
            return new QueryPage(Project(rows, rows.Count), null, false, status);

        var last = rows[limit - 1];
        var next = QueryCursor.Encode(spec, last.Keys, last.Candidate.Key, nowMillis);
        return new QueryPage(Project(rows, limit), next, true, status);
    }

    /// <summary>A partition's share of a page: its matching rows after the cursor, sorted, at most limit+1 of them.</summary>
    public static IReadOnlyList<QueryCandidate> SelectPartition(IEnumerable<QueryCandidate> candidates, QuerySpec spec, long nowMillis)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(spec);
        QueryCursor.TryDecode(spec.Cursor, spec, nowMillis, out var after);
        var rows = Select(candidates, spec, after);
        return Project(rows, rows.Count);
    }

    /// <summary>Combines the <see cref="SelectPartition"/> results of every partition into the page.</summary>
    public static QueryPage Merge(IEnumerable<IReadOnlyList<QueryCandidate>> partitionResults, QuerySpec spec, long nowMillis)
    {
        ArgumentNullException.ThrowIfNull(partitionResults);
        return Execute(partitionResults.SelectMany(p => p), spec, nowMillis);
    }

    /// <summary>Matching rows after the cursor in query order, keeping only limit+1 when there is a limit.</summary>
    private static List<Row> Select(IEnumerable<QueryCandidate> candidates, QuerySpec spec, QueryCursor? after)
    {
        var comparer = spec.Comparer;
        var rowComparer = Comparer<Row>.Create((a, b) => comparer.Compare(a.Keys, a.Candidate.Key, b.Keys, b.Candidate.Key));
        var take = spec.Limit is { } limit ? limit + 1 : int.MaxValue;

        // A max-heap of the best `take` rows so far keeps a small page over a big map at O(n log limit).
        var heap = take == int.MaxValue ? null : new PriorityQueue<Row, Row>(Comparer<Row>.Create((a, b) => rowComparer.Compare(b, a)));
        var all = heap is null ? new List<Row>() : null;

        foreach (var candidate in candidates)
        {
            if (!spec.Matches(candidate.Key, candidate.Value)) continue;
            var keys = comparer.KeysOf(candidate.Key, candidate.Value);
            if (after is not null && !after.IsAfter(keys, candidate.Key)) continue;
            var row = new Row(candidate, keys);
            if (heap is null)
            {
                all!.Add(row);
            }
            else if (heap.Count < take)
            {
                heap.Enqueue(row, row);
            }
            else if (rowComparer.Compare(row, heap.Peek()) < 0)
            {
                heap.DequeueEnqueue(row, row);
            }
        }

        var rows = all ?? heap!.UnorderedItems.Select(i => i.Element).ToList();
        rows.Sort(rowComparer);
        return rows;
    }

    private static QueryCandidate[] Project(List<Row> rows, int count)
    {
        var result = new QueryCandidate[count];
        for (var i = 0; i < count; i++) result[i] = rows[i].Candidate;
        return result;
    }

    private readonly record struct Row(QueryCandidate Candidate, SortKey[] Keys);
}
