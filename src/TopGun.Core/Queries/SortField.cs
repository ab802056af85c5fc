namespace TopGun.Core.Queries;

/// <summary>One entry of a query's <c>sort</c> map; <c>_key</c> sorts by the record key.</summary>
public readonly record struct SortField(string Field, SortDirection Direction);
