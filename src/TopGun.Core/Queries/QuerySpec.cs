using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using TopGun.Core.Values;

namespace TopGun.Core.Queries;

/// <summary>
/// A validated QUERY_SUB <c>query</c>: the effective filter (<c>predicate</c> if present, else
/// <c>where</c>), the sort, the limit and the incoming cursor. Immutable and safe to share.
/// </summary>
public sealed class QuerySpec
{
    /// <summary>Largest page; a bigger <c>limit</c> is capped to it rather than rejected.</summary>
    public const int MaxLimit = 10_000;

    /// <summary>Deepest predicate nesting accepted (the root is depth 1); bounds recursion on hostile input.</summary>
    public const int MaxDepth = 32;

    /// <summary>Most predicate nodes accepted in one query; bounds the per-record evaluation cost.</summary>
    public const int MaxNodes = 1_000;

    /// <summary>Most sort fields; each one travels inside every cursor.</summary>
    public const int MaxSortFields = 8;

    /// <summary>Longest <c>regex</c> pattern accepted.</summary>
    public const int MaxRegexLength = 1_024;

    /// <summary>Budget of one regex evaluation against one record; a timeout counts as no match.</summary>
    public static readonly TimeSpan RegexMatchTimeout = TimeSpan.FromMilliseconds(50);

    /// <summary>The query <c>{}</c>: every record, ordered by key, no limit.</summary>
    public static readonly QuerySpec All = new(null, [], null, null);

    internal QuerySpec(PredicateNode? filter, IReadOnlyList<SortField> sort, int? limit, string? cursor)
    {
        Filter = filter;
        Sort = sort;
        Limit = limit;
        Cursor = cursor;
        Comparer = new QueryComparer(sort);
        CanonicalText = Queries.CanonicalText.Of(filter, sort);
        // UTF-16 bytes, not UTF-8: lone surrogates in attribute names or operands must not collapse to U+FFFD.
        var digest = SHA256.HashData(MemoryMarshal.AsBytes(CanonicalText.AsSpan()));
        Fingerprint = BinaryPrimitives.ReadUInt64LittleEndian(digest);
    }

    private QuerySpec(QuerySpec source, int? limit, string? cursor)
    {
        Filter = source.Filter;
        Sort = source.Sort;
        Comparer = source.Comparer;
        CanonicalText = source.CanonicalText;
        Fingerprint = source.Fingerprint;
        Limit = limit;
        Cursor = cursor;
    }

    /// <summary>The effective filter; null matches every live record.</summary>
    public PredicateNode? Filter { get; }

    /// <summary>Sort fields in priority order (the order of the <c>sort</c> map's keys).</summary>
    public IReadOnlyList<SortField> Sort { get; }

    /// <summary>Page size, 1..<see cref="MaxLimit"/>; null returns every match in one page without a cursor.</summary>
    public int? Limit { get; }

    /// <summary>The cursor the client sent, still undecoded; null when absent or empty.</summary>
    public string? Cursor { get; }

    public QueryComparer Comparer { get; }

    /// <summary>Meaning-based rendering of filter and sort; equal for queries that select and order alike.</summary>
    public string CanonicalText { get; }

    /// <summary>Stable 64-bit hash of <see cref="CanonicalText"/>; cursors are bound to it.</summary>
    public ulong Fingerprint { get; }

    /// <summary>
    /// Whether a live record belongs to the result. A null value (a tombstone) never does; any other
    /// non-map value has no attributes, so it only satisfies <c>_key</c> conditions and empty queries.
    /// </summary>
    public bool Matches(string key, Value value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (value.IsNull) return false;
        return Filter is null || Filter.Matches(key, value);
    }

    /// <summary>The same query resuming from another cursor (null or empty for the first page).</summary>
    public QuerySpec WithCursor(string? cursor) =>
        new(this, Limit, string.IsNullOrEmpty(cursor) ? null : cursor);

    /// <summary>The same query with another page size, capped at <see cref="MaxLimit"/>; cursors stay valid across limits.</summary>
    public QuerySpec WithLimit(int? limit)
    {
        if (limit is <= 0) throw new ArgumentOutOfRangeException(nameof(limit), limit, "A limit must be positive.");
        return new(this, limit is null ? null : Math.Min(limit.Value, MaxLimit), Cursor);
    }

    /// <summary>
    /// Parses and validates a query value. A null value is the empty query. On failure
    /// <paramref name="error"/> names the offending part, e.g. <c>predicate.children[1].op: unknown operator 'foo'</c>.
    /// </summary>
    public static bool TryParse(Value query, [NotNullWhen(true)] out QuerySpec? spec, [NotNullWhen(false)] out string? error) =>
        QuerySpecParser.TryParse(query, out spec, out error);

    /// <summary>As <see cref="TryParse"/>, throwing <see cref="FormatException"/> with the same message.</summary>
    public static QuerySpec Parse(Value query) =>
        TryParse(query, out var spec, out var error) ? spec : throw new FormatException(error);

    public override string ToString() =>
        $"{CanonicalText};limit:{(Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none")}";
}
