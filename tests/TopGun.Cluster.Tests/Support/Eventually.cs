namespace TopGun.Cluster.Tests.Support;

/// <summary>Retries an assertion until it holds or the deadline passes (then its last failure is thrown).</summary>
public static class Eventually
{
    public static async Task Async(Func<Task> assertion, TimeSpan within, TimeSpan? every = null)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                await assertion();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(every ?? TimeSpan.FromMilliseconds(200));
            }
        }
    }
}
