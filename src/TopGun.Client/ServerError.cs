using TopGun.Core.Values;

namespace TopGun.Client;

/// <summary>Something the server or the connection reported: ERROR, AUTH_FAIL, MERGE_REJECTED, a failed connection attempt.</summary>
public sealed record ServerError(string Kind, string Message, int? Code = null, Value? Details = null);
