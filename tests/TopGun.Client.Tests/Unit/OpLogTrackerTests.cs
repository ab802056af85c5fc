using TopGun.Client.Storage;
using TopGun.Client.Sync;
using TopGun.Core.Protocol;

namespace TopGun.Client.Tests.Unit;

public sealed class OpLogTrackerTests
{
    private static OpLogTracker WithOps(int from, int to)
    {
        var tracker = new OpLogTracker();
        for (var id = from; id <= to; id++) tracker.Add(new PendingOp(id, new ClientOp("m", "k" + id, id.ToString())));
        return tracker;
    }

    [Fact]
    public void An_ack_covers_only_the_ops_of_its_batch_up_to_last_id()
    {
        var tracker = WithOps(1, 6);
        var first = tracker.TakeBatch(3);
        var second = tracker.TakeBatch(3);
        var (acked, failed) = tracker.Ack(new OpAckMessage("3"));
        Assert.Equal([1L, 2L, 3L], acked.Select(o => o.Id));
        Assert.Empty(failed);
        Assert.Equal(3, tracker.Count);
        Assert.Equal(1, tracker.InFlightBatches);
        Assert.Equal(3, first.Count + second.Count - 3);
    }

    [Fact]
    public void Op_ids_compare_as_numbers_not_strings()
    {
        var tracker = WithOps(9, 10);
        tracker.TakeBatch(10);
        var (acked, _) = tracker.Ack(new OpAckMessage("10"));
        Assert.Equal([9L, 10L], acked.Select(o => o.Id));
    }

    [Fact]
    public void Refused_results_leave_the_log_as_failures()
    {
        var tracker = WithOps(1, 3);
        tracker.TakeBatch(3);
        var (acked, failed) = tracker.Ack(new OpAckMessage("3", WriteConcern.Persisted,
            new WireList<OpResult>([new OpResult("2", false, WriteConcern.FireAndForget, "Access Denied")])));
        Assert.Equal([1L, 3L], acked.Select(o => o.Id));
        Assert.Equal((2L, "Access Denied"), (failed.Single().Op.Id, failed.Single().Reason));
        Assert.Equal(0, tracker.Count);
    }

    [Fact]
    public void A_reconnect_resends_only_unacknowledged_ops_once()
    {
        var tracker = WithOps(1, 4);
        tracker.TakeBatch(2);
        tracker.TakeBatch(2);
        tracker.Ack(new OpAckMessage("2"));
        tracker.ResetInFlight();
        Assert.Equal(0, tracker.InFlightBatches);
        var resend = tracker.TakeBatch(10);
        Assert.Equal([3L, 4L], resend.Select(o => o.Id));
        Assert.Equal(0, tracker.UnsentCount);
    }

    [Fact]
    public void An_ack_of_an_unknown_id_changes_nothing()
    {
        var tracker = WithOps(1, 2);
        tracker.TakeBatch(2);
        var (acked, failed) = tracker.Ack(new OpAckMessage("77"));
        Assert.Empty(acked);
        Assert.Empty(failed);
        Assert.Equal(2, tracker.Count);
    }

    [Fact]
    public void Batch_ops_beyond_last_id_become_unsent_again()
    {
        var tracker = WithOps(1, 3);
        tracker.TakeBatch(3);
        var (acked, _) = tracker.Ack(new OpAckMessage("2"));
        Assert.Equal([1L, 2L], acked.Select(o => o.Id));
        Assert.Equal(1, tracker.UnsentCount);
        Assert.Equal(0, tracker.InFlightBatches);
    }
}
