using TopGun.Core.Clock;
using TopGun.Core.Values;

namespace TopGun.Core.Queries;

/// <summary>
/// A live record offered to a query: its key, its value (never a tombstone or an expired record; the
/// caller filters those) and, when known, its timestamp for the QUERY_RESP row.
/// </summary>
public readonly record struct QueryCandidate(string Key, Value Value, Timestamp? Timestamp);
