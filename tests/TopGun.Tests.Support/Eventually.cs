using System.Diagnostics;
using Xunit;

namespace TopGun.Tests.Support;

/// <summary>
/// Waits for a condition with a generous deadline (the AwaitAssert of plain tests); never a timing assertion.
/// Every wait is bounded: on the deadline it fails with what it was waiting for, or rethrows the assertion's last failure.
/// </summary>
public static class Eventually
{
    public const int DefaultTimeoutMs = 20_000;

    private static readonly TimeSpan DefaultPause = TimeSpan.FromMilliseconds(200);

    /// <summary>Polls <paramref name="condition"/> every 20 ms until it holds; fails with "Timed out waiting until <paramref name="what"/>".</summary>
    public static async Task True(Func<bool> condition, string what, int timeoutMs = DefaultTimeoutMs)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.ElapsedMilliseconds > timeoutMs) Assert.Fail("Timed out waiting until " + what);
            await Task.Delay(20);
        }
    }

    public static async Task<T> Within<T>(Task<T> task, string what, int timeoutMs = DefaultTimeoutMs)
    {
        try
        {
            return await task.WaitAsync(TimeSpan.FromMilliseconds(timeoutMs));
        }
        catch (TimeoutException)
        {
            Assert.Fail("Timed out waiting until " + what);
            throw;
        }
    }

    public static async Task Within(Task task, string what, int timeoutMs = DefaultTimeoutMs)
    {
        try
        {
            await task.WaitAsync(TimeSpan.FromMilliseconds(timeoutMs));
        }
        catch (TimeoutException)
        {
            Assert.Fail("Timed out waiting until " + what);
        }
    }

    /// <summary>
    /// Retries <paramref name="assertion"/> every <paramref name="every"/> (200 ms unless given) until it passes or
    /// <paramref name="within"/> ends, then rethrows its last failure.
    /// </summary>
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
                // Not yet: the system is still converging.
            }
            await Task.Delay(every ?? DefaultPause);
        }
    }
}
