using TopGun.Core.Crdt;
using TopGun.Core.Values;

namespace TopGun.Core.Tests.Crdt;

public sealed class PnCounterTests
{
    private static Value Side(params (string Node, double Amount)[] entries) =>
        Value.Map(entries.Select(e => new KeyValuePair<string, Value>(e.Node, Value.Of(e.Amount))));

    [Fact]
    public void Value_is_sum_of_increments_minus_sum_of_decrements()
    {
        var counter = new PnCounter();
        Assert.Equal(1, counter.Increment("a"));
        Assert.Equal(2, counter.Increment("b"));
        Assert.Equal(1, counter.Decrement("a"));
        Assert.Equal(6, counter.AddDelta("a", 5));
        Assert.Equal(3, counter.AddDelta("b", -3));
        Assert.Equal(6, counter.State.P["a"]);
        Assert.Equal(4, counter.State.N["a"] + counter.State.N["b"]);
    }

    [Fact]
    public void Merge_takes_the_per_node_maximum_and_reports_growth()
    {
        var counter = new PnCounter();
        counter.AddDelta("a", 5);
        counter.AddDelta("a", -1);
        var remote = new PnCounterState([new("a", 3), new("b", 2)], [new("a", 4)]);

        Assert.True(counter.Merge(remote));
        Assert.False(counter.Merge(remote));
        Assert.Equal(new PnCounterState([new("a", 5), new("b", 2)], [new("a", 4)]), counter.State);
        Assert.Equal(3, counter.Value);
    }

    [Fact]
    public void ToValue_always_produces_the_short_shape()
    {
        var state = new PnCounterState([new("b", 2), new("a", 1)], []);
        Assert.Equal("{\"p\":{\"a\":1,\"b\":2},\"n\":{}}", state.ToValue().ToString());
    }

    [Fact]
    public void TryFromValue_accepts_the_short_shape()
    {
        var value = Value.Map(("p", Side(("a", 3))), ("n", Side(("a", 1), ("b", 1))));
        Assert.True(PnCounterState.TryFromValue(value, out var state, out var error), error);
        Assert.Equal(1, state.Value);
        Assert.Equal(value, state.ToValue());
    }

    [Fact]
    public void TryFromValue_accepts_the_TS_client_positive_negative_shape()
    {
        var value = Value.Map(("positive", Side(("a", 3))), ("negative", Side(("b", 1))));
        Assert.True(PnCounterState.TryFromValue(value, out var state, out _));
        Assert.Equal(new PnCounterState([new("a", 3)], [new("b", 1)]), state);
        Assert.Equal(Value.Map(("p", Side(("a", 3))), ("n", Side(("b", 1)))), state.ToValue());
    }

    [Fact]
    public void TryFromValue_treats_a_missing_side_as_empty()
    {
        Assert.True(PnCounterState.TryFromValue(Value.Map(("p", Side(("a", 2)))), out var state, out _));
        Assert.Equal(2, state.Value);
    }

    public static TheoryData<Value, string> BadStates => new()
    {
        { Value.Of("nope"), "must be an object" },
        { Value.Map(("x", 1)), "must have 'p' and 'n'" },
        { Value.Map(("p", 5), ("n", Side())), "'p' must be an object" },
        { Value.Map(("p", Value.Map(("a", "1"))), ("n", Side())), "'p.a' must be a number" },
        { Value.Map(("p", Side(("a", -1))), ("n", Side())), "'p.a' must be a finite non-negative number" },
        { Value.Map(("p", Side()), ("n", Side(("b", double.PositiveInfinity)))), "'n.b' must be a finite non-negative number" },
        { Value.Map(("p", Side(("a", double.NaN))), ("n", Side())), "'p.a' must be a finite non-negative number" },
    };

    [Theory]
    [MemberData(nameof(BadStates))]
    public void TryFromValue_rejects_malformed_states_with_a_clear_error(Value value, string expectedError)
    {
        Assert.False(PnCounterState.TryFromValue(value, out var state, out var error));
        Assert.Contains(expectedError, error);
        Assert.Same(PnCounterState.Empty, state);
    }

    [Fact]
    public void States_that_differ_only_by_zero_entries_are_equal()
    {
        var a = new PnCounterState([new("a", 0), new("b", 1)], [new("c", 0)]);
        var b = new PnCounterState([new("b", 1)], []);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Constructor_rejects_negative_or_non_finite_entries()
    {
        Assert.Throws<ArgumentException>(() => new PnCounterState([new("a", -1)], []));
        Assert.Throws<ArgumentException>(() => new PnCounterState([], [new("a", double.NaN)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PnCounter().AddDelta("a", double.PositiveInfinity));
    }

    [Fact]
    public void Merge_reports_a_change_when_only_a_decrement_entry_grew_and_none_when_nothing_grew()
    {
        var counter = new PnCounter();
        counter.Increment("a");
        Assert.True(counter.Merge(new PnCounterState([new("a", 1)], [new("b", 2)])));
        Assert.Equal(-1, counter.Value);
        Assert.False(counter.Merge(new PnCounterState([new("a", 1)], [new("b", 2)])));
        Assert.False(counter.Merge(new PnCounterState([new("a", 0.5)], [new("b", 1)])));
    }

    [Fact]
    public void A_zero_delta_adds_no_entry()
    {
        var counter = new PnCounter();
        counter.AddDelta("a", 0);
        Assert.Empty(counter.State.P);
        Assert.Empty(counter.State.N);
    }

    [Fact]
    public void States_are_equal_only_when_both_sides_are_equal()
    {
        var s = new PnCounterState([new("a", 1)], [new("b", 2)]);
        Assert.Equal(s, new PnCounterState([new("a", 1)], [new("b", 2)]));
        Assert.NotEqual(s, new PnCounterState([new("a", 1)], [new("b", 3)]));
        Assert.NotEqual(s, new PnCounterState([new("a", 2)], [new("b", 2)]));
        Assert.NotEqual(s, new PnCounterState([new("a", 1)], [new("c", 2)]));
    }
}
