namespace TopGun.Core.Queries;

public enum SortDirection
{
    Asc,
    Desc,
}
