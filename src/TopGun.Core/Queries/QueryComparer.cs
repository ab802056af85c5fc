using TopGun.Core.Values;

namespace TopGun.Core.Queries;

/// <summary>
/// The total order of a query's results: the sort fields in priority order (see
/// <see cref="QuerySpec.Sort"/>), then the key ascending (ordinal), so two distinct keys never tie
/// and every node pages the same way.
/// </summary>
public sealed class QueryComparer : IComparer<QueryCandidate>
{
    public QueryComparer(IReadOnlyList<SortField> sort) => Sort = sort;

    public IReadOnlyList<SortField> Sort { get; }

    public int Compare(QueryCandidate x, QueryCandidate y) => Compare(x.Key, x.Value, y.Key, y.Value);

    public int Compare(string keyA, Value valueA, string keyB, Value valueB) =>
        Compare(KeysOf(keyA, valueA), keyA, KeysOf(keyB, valueB), keyB);

    internal SortKey[] KeysOf(string key, Value value)
    {
        if (Sort.Count == 0) return [];
        var keys = new SortKey[Sort.Count];
        for (var i = 0; i < keys.Length; i++)
            keys[i] = SortKey.Of(PredicateNode.Resolve(Sort[i].Field, key, value));
        return keys;
    }

    internal int Compare(SortKey[] a, string keyA, SortKey[] b, string keyB)
    {
        for (var i = 0; i < Sort.Count; i++)
        {
            var c = SortKey.Compare(a[i], b[i], Sort[i].Direction);
            if (c != 0) return c;
        }
        return Math.Sign(string.CompareOrdinal(keyA, keyB));
    }
}
