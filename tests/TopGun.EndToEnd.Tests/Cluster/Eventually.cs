namespace TopGun.EndToEnd.Tests.Cluster;

/// <summary>Retries an assertion until it passes or the timeout ends, then rethrows its last failure.</summary>
public static class Eventually
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(500);

    public static async Task Async(Func<Task> assertion, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await assertion();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                // Not yet: the cluster is still converging.
            }
            await Task.Delay(Pause);
        }
    }
}
