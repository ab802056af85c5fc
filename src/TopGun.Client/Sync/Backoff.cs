namespace TopGun.Client.Sync;

/// <summary>Reconnect delays: initial × 2^(attempt−1), capped, then scaled by a random 50–100% so a fleet of clients does not reconnect in step.</summary>
internal static class Backoff
{
    public static TimeSpan Delay(int attempt, TimeSpan initial, TimeSpan max, Random random)
    {
        var exponent = Math.Min(Math.Max(attempt - 1, 0), 30);
        var raw = Math.Min(initial.TotalMilliseconds * Math.Pow(2, exponent), max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(raw * (0.5 + random.NextDouble() * 0.5));
    }
}
