namespace TopGun.Core.Values;

/// <summary>The JSON-like shapes a TopGun value can take on the wire.</summary>
public enum ValueKind
{
    Null,
    Bool,
    Number,
    String,
    Bytes,
    Array,
    Map,
}
