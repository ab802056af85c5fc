using TopGun.Core.Crdt;
using TopGun.Core.Values;

namespace TopGun.Server.Security;

/// <summary>
/// Field-level security: keeps only the allowed top-level fields of map values. Non-map values pass unchanged
/// (they have no fields to hide); arrays are filtered element-wise because an OR map's query value is the array
/// of its records' values. A filtered OR record no longer hashes like the server's (OR entry hashes include
/// values; LWW item hashes do not), which is the documented price of FLS.
/// </summary>
internal sealed class FieldFilter
{
    public static readonly FieldFilter AllFields = new(null);

    private readonly HashSet<string>? _allowed;

    private FieldFilter(HashSet<string>? allowed) => _allowed = allowed;

    /// <summary>True when every field is visible, so callers can skip copying values.</summary>
    public bool IsAll => _allowed is null;

    public static FieldFilter Of(IEnumerable<string> fields) => new(new HashSet<string>(fields, StringComparer.Ordinal));

    public bool Allows(string field) => _allowed is null || field == Core.Queries.PredicateNode.KeyAttribute || _allowed.Contains(field);

    public Value Apply(Value value)
    {
        if (_allowed is null) return value;
        switch (value)
        {
            case MapValue map:
                var kept = map.Entries.Where(e => _allowed.Contains(e.Key)).ToArray();
                return kept.Length == map.Count ? value : new MapValue(kept);
            case ArrayValue array:
                var items = new Value[array.Count];
                for (var i = 0; i < items.Length; i++) items[i] = Apply(array.Items[i]);
                return new ArrayValue(items);
            default:
                return value;
        }
    }

    public LwwRecord Apply(LwwRecord record) => IsAll || record.IsTombstone ? record : record with { Value = Apply(record.Value) };

    public OrMapRecord Apply(OrMapRecord record) => IsAll ? record : record with { Value = Apply(record.Value) };

    /// <summary>Union of two allow-lists; all fields wins.</summary>
    public FieldFilter Union(FieldFilter other)
    {
        if (_allowed is null || other._allowed is null) return AllFields;
        var union = new HashSet<string>(_allowed, StringComparer.Ordinal);
        union.UnionWith(other._allowed);
        return new FieldFilter(union);
    }

    public override string ToString() => _allowed is null ? "*" : string.Join(",", _allowed.Order(StringComparer.Ordinal));
}
