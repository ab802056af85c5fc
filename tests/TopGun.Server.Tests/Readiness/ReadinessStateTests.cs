using TopGun.Server.Readiness;

namespace TopGun.Server.Tests.Readiness;

public sealed class ReadinessStateTests
{
    private static ReadinessState Ready()
    {
        var state = new ReadinessState();
        state.MarkActorSystemStarted();
        state.MarkMemberUp();
        state.MarkStartupStepsDone();
        state.MarkJournalAnswered();
        return state;
    }

    [Fact]
    public void A_failed_journal_probe_makes_a_ready_node_unready_until_a_probe_succeeds_again()
    {
        var state = Ready();
        Assert.True(state.IsReady);

        Assert.True(state.MarkJournalFailed("connection refused"));
        Assert.False(state.IsReady);
        Assert.True(state.HasBeenReady);
        Assert.Equal("connection refused", state.JournalFailure);
        Assert.False(state.Snapshot()["journal"]);
        // Only the first failure of an outage is a change (the node logs changes only).
        Assert.False(state.MarkJournalFailed("connection refused"));

        Assert.True(state.MarkJournalAnswered());
        Assert.True(state.IsReady);
        Assert.Null(state.JournalFailure);
        Assert.False(state.MarkJournalAnswered());
    }

    [Fact]
    public void Before_the_first_probe_the_journal_is_not_answering_but_not_reported_as_failed()
    {
        var state = new ReadinessState();
        Assert.False(state.JournalAnswered);
        Assert.Null(state.JournalFailure);
        Assert.False(state.HasBeenReady);
    }
}
