using TopGun.Core.Clock;

namespace TopGun.Core.Tests.Clock;

public sealed class HlcTests
{
    [Fact]
    public void Now_uses_wall_time_when_it_moves_forward()
    {
        var time = new ManualTimeSource(1000);
        var hlc = new Hlc("node-a", time);
        Assert.Equal(new Timestamp(1000, 0, "node-a"), hlc.Now());
        time.Set(1005);
        Assert.Equal(new Timestamp(1005, 0, "node-a"), hlc.Now());
    }

    [Fact]
    public void Now_increments_counter_when_wall_time_stalls_or_goes_back()
    {
        var time = new ManualTimeSource(1000);
        var hlc = new Hlc("node-a", time);
        hlc.Now();
        Assert.Equal(new Timestamp(1000, 1, "node-a"), hlc.Now());
        time.Set(900);
        Assert.Equal(new Timestamp(1000, 2, "node-a"), hlc.Now());
    }

    [Theory]
    // last (1000,5), wall 1000, remote (1000,7): all equal → max(5,7)+1
    [InlineData(1000, 1000, 7, 1000, 8)]
    // remote behind: local millis wins → counter+1
    [InlineData(1000, 990, 3, 1000, 6)]
    // remote ahead of both → remote.counter+1
    [InlineData(1000, 1200, 4, 1200, 5)]
    public void Update_follows_protocol_rules(long wall, long remoteMillis, int remoteCounter, long expectMillis, int expectCounter)
    {
        var time = new ManualTimeSource(1000);
        var hlc = new Hlc("node-a", time);
        for (var i = 0; i < 6; i++) hlc.Now(); // last = (1000, 5)
        time.Set(wall);
        hlc.Update(new Timestamp(remoteMillis, remoteCounter, "node-b"));
        Assert.Equal(new Timestamp(expectMillis, expectCounter, "node-a"), hlc.Last);
    }

    [Fact]
    public void Update_resets_counter_when_wall_time_is_ahead_of_everything()
    {
        var time = new ManualTimeSource(1000);
        var hlc = new Hlc("node-a", time);
        hlc.Now();
        time.Set(5000);
        hlc.Update(new Timestamp(2000, 9, "node-b"));
        Assert.Equal(new Timestamp(5000, 0, "node-a"), hlc.Last);
    }

    [Fact]
    public void Strict_policy_rejects_remote_timestamps_beyond_max_drift_and_keeps_state()
    {
        var time = new ManualTimeSource(1000);
        var hlc = new Hlc("node-a", time, maxDriftMillis: 60_000, policy: DriftPolicy.Strict);
        hlc.Now();
        var ex = Assert.Throws<ClockDriftException>(() => hlc.Update(new Timestamp(1000 + 60_001, 0, "node-b")));
        Assert.Equal(60_001, ex.DriftMillis);
        Assert.Equal(new Timestamp(1000, 0, "node-a"), hlc.Last);
    }

    [Fact]
    public void Warn_policy_accepts_drifted_timestamp_and_reports_it()
    {
        var time = new ManualTimeSource(1000);
        var hlc = new Hlc("node-a", time);
        long reported = 0;
        hlc.DriftDetected += (_, drift) => reported = drift;
        hlc.Update(new Timestamp(100_000, 0, "node-b"));
        Assert.Equal(99_000, reported);
        Assert.Equal(100_000, hlc.Now().Millis);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Node-A")]
    [InlineData("node:a")]
    [InlineData("node a")]
    [InlineData("nodé")]
    public void Rejects_invalid_node_ids(string id) =>
        Assert.Throws<ArgumentException>(() => new Hlc(id));

    [Fact]
    public void Timestamp_order_is_millis_then_counter_then_node_id()
    {
        Assert.True(new Timestamp(1, 9, "z") < new Timestamp(2, 0, "a"));
        Assert.True(new Timestamp(2, 0, "z") < new Timestamp(2, 1, "a"));
        Assert.True(new Timestamp(2, 1, "a") < new Timestamp(2, 1, "b"));
    }

    [Fact]
    public void Timestamp_string_form_round_trips()
    {
        var ts = new Timestamp(1700000000000, 3, "node-a");
        Assert.Equal("1700000000000:3:node-a", ts.ToString());
        Assert.True(Timestamp.TryParse(ts.ToString(), out var parsed));
        Assert.Equal(ts, parsed);
        Assert.False(Timestamp.TryParse("12:x:node", out _));
        Assert.False(Timestamp.TryParse("nonsense", out _));
    }

    [Fact]
    public void Strict_policy_accepts_a_remote_timestamp_exactly_at_max_drift()
    {
        var time = new ManualTimeSource(1000);
        var hlc = new Hlc("node-a", time, maxDriftMillis: 500, policy: DriftPolicy.Strict);
        hlc.Update(new Timestamp(1500, 3, "node-b"));
        Assert.Equal(new Timestamp(1500, 5, "node-a"), hlc.Now());
        Assert.Throws<ClockDriftException>(() => hlc.Update(new Timestamp(1501, 0, "node-b")));
    }

    [Fact]
    public void Restore_moves_the_clock_forward_to_a_persisted_timestamp_and_never_back()
    {
        var time = new ManualTimeSource(1000);
        var hlc = new Hlc("node-a", time);
        hlc.Restore(new Timestamp(5000, 7, "node-a"));
        Assert.Equal(new Timestamp(5000, 8, "node-a"), hlc.Now());
        hlc.Restore(new Timestamp(5000, 3, "node-a"));
        hlc.Restore(new Timestamp(4000, 99, "node-a"));
        Assert.Equal(new Timestamp(5000, 9, "node-a"), hlc.Now());
        hlc.Restore(new Timestamp(5000, 20, "node-a"));
        Assert.Equal(new Timestamp(5000, 21, "node-a"), hlc.Now());
    }

    [Fact]
    public void Node_ids_are_valid_up_to_their_limits_and_invalid_just_beyond()
    {
        Assert.True(NodeId.IsValid(new string('a', NodeId.MaxLength), out _));
        Assert.False(NodeId.IsValid(new string('a', NodeId.MaxLength + 1), out _));
        Assert.True(NodeId.IsValid("!~", out _));
        Assert.False(NodeId.IsValid("a b", out _));
        Assert.False(NodeId.IsValid("a\u007f", out _));
        Assert.True(NodeId.IsValid("@[", out _));
        Assert.False(NodeId.IsValid("Aa", out _));
        Assert.False(NodeId.IsValid("aZ", out _));
    }

    [Fact]
    public void An_equal_timestamp_is_neither_greater_nor_less()
    {
        var a = new Timestamp(10, 1, "n");
        var b = new Timestamp(10, 1, "n");
        Assert.False(a > b);
        Assert.False(a < b);
        Assert.True(a >= b);
        Assert.True(a <= b);
        Assert.True(new Timestamp(10, 2, "n") >= a);
        Assert.False(a >= new Timestamp(10, 2, "n"));
    }
}
