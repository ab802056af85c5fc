using TopGun.Core.Protocol;
using TopGun.Server.Configuration;
using TopGun.Server.Maps;
using static TopGun.Core.Protocol.WriteConcern;

namespace TopGun.Server.Tests.Maps;

public sealed class AckDecisionTests
{
    // The wait is boxed: AckWait is node-internal and a public test method cannot name it.
    public static TheoryData<WriteConcern, AckMode, bool, bool, object, WriteConcern, bool> PlanRows => new()
    {
        // requested, ack mode, changed, replica sent => wait, achieved, replica wait needs the journal
        // ack = persisted: every concern waits for durability; a no-op waits for the earlier writes in flight.
        { FireAndForget, AckMode.Persisted, true, false, AckWait.Journal, Persisted, false },
        { Memory, AckMode.Persisted, true, false, AckWait.Journal, Persisted, false },
        { Applied, AckMode.Persisted, true, false, AckWait.Journal, Persisted, false },
        { Persisted, AckMode.Persisted, true, false, AckWait.Journal, Persisted, false },
        { Persisted, AckMode.Persisted, false, false, AckWait.EarlierWrites, Persisted, false },
        { Applied, AckMode.Persisted, false, false, AckWait.EarlierWrites, Persisted, false },
        // ack = memory: concerns below PERSISTED are answered at once, at MEMORY or APPLIED, changed or not.
        { FireAndForget, AckMode.Memory, true, false, AckWait.Now, Memory, false },
        { Memory, AckMode.Memory, true, false, AckWait.Now, Memory, false },
        { Memory, AckMode.Memory, false, false, AckWait.Now, Memory, false },
        { Applied, AckMode.Memory, true, false, AckWait.Now, Applied, false },
        { Applied, AckMode.Memory, true, true, AckWait.Now, Applied, false },
        { Persisted, AckMode.Memory, true, false, AckWait.Journal, Persisted, false },
        { Persisted, AckMode.Memory, false, false, AckWait.EarlierWrites, Persisted, false },
        // REPLICATED waits for a replica only when its delta went to one; with ack = persisted also for the journal.
        { Replicated, AckMode.Persisted, true, true, AckWait.Replica, Replicated, true },
        { Replicated, AckMode.Memory, true, true, AckWait.Replica, Replicated, false },
        { Replicated, AckMode.Persisted, true, false, AckWait.Journal, Persisted, false },
        { Replicated, AckMode.Memory, true, false, AckWait.Now, Applied, false },
        { Replicated, AckMode.Persisted, false, false, AckWait.EarlierWrites, Persisted, false },
        { Replicated, AckMode.Memory, false, false, AckWait.Now, Applied, false },
        // A delta sent for a write that asked less never makes it wait for the replica.
        { Persisted, AckMode.Persisted, true, true, AckWait.Journal, Persisted, false },
        { Applied, AckMode.Persisted, true, true, AckWait.Journal, Persisted, false },
    };

    [Theory]
    [MemberData(nameof(PlanRows))]
    public void A_write_waits_for_what_its_concern_and_the_ack_mode_require(
        WriteConcern requested, AckMode ack, bool changed, bool replicaSent, object wait, WriteConcern achieved, bool needsJournal)
    {
        Assert.Equal(new AckPlan((AckWait)wait, achieved, needsJournal), AckDecision.Plan(requested, ack, changed, replicaSent));
    }

    public static TheoryData<bool, bool, bool, bool, WriteConcern?, bool> SettleRows => new()
    {
        // replicated, journaled, needs journal, timed out => achieved (null: keep waiting), concern met
        { false, false, true, false, null, false },
        { false, true, true, false, null, false },
        { true, false, true, false, null, false },
        { true, true, true, false, Persisted, true },
        { true, false, false, false, Replicated, true },
        { true, true, false, false, Persisted, true },
        // A confirmation that came before the timeout was noticed still counts.
        { true, true, true, true, Persisted, true },
        { true, false, false, true, Replicated, true },
        // Timed out: answered once journaled, at APPLIED and not met (never PERSISTED: that would claim a confirmation).
        { false, true, true, true, Applied, false },
        { false, true, false, true, Applied, false },
        { false, false, true, true, null, false },
        { false, false, false, true, null, false },
        { true, false, true, true, null, false },
    };

    [Theory]
    [MemberData(nameof(SettleRows))]
    public void A_replica_wait_ends_at_the_level_a_confirmation_or_the_journal_proves(
        bool replicated, bool journaled, bool needsJournal, bool timedOut, WriteConcern? achieved, bool met)
    {
        var answer = AckDecision.Settle(replicated, journaled, needsJournal, timedOut);

        Assert.Equal(achieved, answer?.Achieved);
        if (answer is { } a) Assert.Equal(met, a.ConcernMet);
    }

    [Fact]
    public void A_timed_out_replicated_write_is_never_reported_above_applied()
    {
        foreach (var needsJournal in new[] { true, false })
        {
            var answer = AckDecision.Settle(replicated: false, journaled: true, needsJournal, timedOut: true);
            Assert.NotNull(answer);
            Assert.True(answer.Value.Achieved < Replicated);
            Assert.False(answer.Value.ConcernMet);
        }
    }
}
