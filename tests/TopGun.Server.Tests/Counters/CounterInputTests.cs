using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Server.Counters;

namespace TopGun.Server.Tests.Counters;

public sealed class CounterInputTests
{
    private static readonly CounterSettings Settings = CounterSettings.Default;

    private static CounterStatePayload Payload(params (string Node, double Count)[] p) =>
        new(new WireMap<double>(p.Select(e => new KeyValuePair<string, double>(e.Node, e.Count)).ToArray()), WireMap<double>.Empty);

    [Fact]
    public void A_valid_state_becomes_a_pn_counter_state()
    {
        var payload = new CounterStatePayload(
            new WireMap<double>([new("a", 3), new("b", 9007199254740991)]),
            new WireMap<double>([new("a", 1)]));

        Assert.True(CounterInput.TryParseState(payload, Settings, out var state, out _));
        Assert.Equal(new PnCounterState([new("a", 3), new("b", 9007199254740991)], [new("a", 1)]), state);
    }

    [Theory]
    [InlineData(-1, "non-negative integer")]
    [InlineData(1.5, "non-negative integer")]
    [InlineData(double.NaN, "non-negative integer")]
    [InlineData(double.PositiveInfinity, "non-negative integer")]
    [InlineData(9007199254740992, "non-negative integer")]
    public void Counts_must_be_non_negative_integers_a_js_number_holds_exactly(double count, string expected)
    {
        Assert.False(CounterInput.TryParseState(Payload(("a", count)), Settings, out var state, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Equal(PnCounterState.Empty, state);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("node:1", "contains ':'")]
    [InlineData("no\nde", "control characters")]
    public void Node_ids_must_be_non_empty_without_colons_or_control_characters(string nodeId, string expected)
    {
        Assert.False(CounterInput.TryParseState(Payload((nodeId, 1)), Settings, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_node_ids_and_too_many_entries_are_refused()
    {
        Assert.False(CounterInput.TryParseState(Payload((new string('x', Settings.MaxNodeIdLength + 1), 1)), Settings, out _, out var tooLong));
        Assert.Contains("longer than", tooLong, StringComparison.Ordinal);

        var many = Enumerable.Range(0, Settings.MaxSyncEntries + 1).Select(i => ("n" + i, 1.0)).ToArray();
        Assert.False(CounterInput.TryParseState(Payload(many), Settings, out _, out var tooMany));
        Assert.Contains($"at most {Settings.MaxSyncEntries}", tooMany, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_must_be_non_empty_bounded_and_without_control_characters()
    {
        Assert.Null(CounterInput.CheckName("page-views/home", Settings));
        Assert.NotNull(CounterInput.CheckName("", Settings));
        Assert.NotNull(CounterInput.CheckName(new string('c', Settings.MaxNameLength + 1), Settings));
        Assert.NotNull(CounterInput.CheckName("a\u0000b", Settings));
    }
}
