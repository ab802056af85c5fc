using TopGun.Server.Clients;

namespace TopGun.Server.Tests.Clients;

public sealed class RejectedInputLogTests
{
    [Fact]
    public void One_log_shared_by_several_actors_allows_its_limit_in_total_per_window_and_counts_the_rest()
    {
        // The connection and its lock and topic sessions run on different threads and share one log.
        var log = new RejectedInputLog(5, TimeSpan.FromMinutes(1));
        var allowed = 0;
        Parallel.For(0, 3000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            if (log.ShouldLog()) Interlocked.Increment(ref allowed);
        });

        Assert.Equal(5, allowed);
        Assert.Equal(2995, log.TakeSuppressed());
        Assert.Equal(0, log.TakeSuppressed());
    }

    [Fact]
    public void A_new_window_allows_lines_again()
    {
        var time = new SteppedTime();
        var log = new RejectedInputLog(2, TimeSpan.FromSeconds(10), time);
        Assert.True(log.ShouldLog());
        Assert.True(log.ShouldLog());
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(log.ShouldLog());
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(log.ShouldLog());
    }

    private sealed class SteppedTime : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
