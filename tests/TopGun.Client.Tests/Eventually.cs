using System.Diagnostics;

namespace TopGun.Client.Tests;

/// <summary>Waits for a condition with a generous deadline (the AwaitAssert of plain tests); never a timing assertion.</summary>
internal static class Eventually
{
    public static async Task True(Func<bool> condition, string what, int timeoutMs = 20_000)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.ElapsedMilliseconds > timeoutMs) Assert.Fail("Timed out waiting until " + what);
            await Task.Delay(20);
        }
    }

    public static async Task<T> Within<T>(Task<T> task, string what, int timeoutMs = 20_000)
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

    public static async Task Within(Task task, string what, int timeoutMs = 20_000)
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
}
