namespace TopGun.Server.Counters;

/// <summary>
/// Hand-off and passivation stop message of a <see cref="CounterEntity"/>: it stops once its in-flight write
/// has been answered, so no syncing client loses the reply to a merge that is already durable. Node-local.
/// </summary>
internal sealed record CounterStop
{
    public static readonly CounterStop Instance = new();
}
