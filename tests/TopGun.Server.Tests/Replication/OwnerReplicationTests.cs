using Akka.Actor;
using TopGun.Core.Clock;
using TopGun.Core.Protocol;
using TopGun.Server.Maps;
using TopGun.Server.Replication;

namespace TopGun.Server.Tests.Replication;

/// <summary>The owner's side of replication as a pure state machine: what it sends for each event, without actors.</summary>
public sealed class OwnerReplicationTests
{
    private const string EntityId = "users|3";
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(2);
    private static readonly DateTime T0 = new(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly Address Self = Node("self");
    private static readonly IPartitionEvent Event = new LwwTombstonesPruned(new Timestamp(1, 0, ""));
    private static readonly ReplicaWaitAnswer Answer = (_, _) => { };

    private static Address Node(string host) => new("akka.tcp", "topgun", host, 4053);

    private static OwnerReplication Fresh(int backups = 1, TimeSpan? ackTimeout = null) => new()
    {
        EntityId = EntityId,
        Node = Self,
        BackupCount = backups,
        ReplicaAckTimeout = ackTimeout ?? AckTimeout,
        ReconcileTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>An owner that serves with its replicas placed on <paramref name="members"/>.</summary>
    private static OwnerReplication Serving(params Address[] members) => Fresh().Begin([]).State.MembershipChanged(members).State;

    private static Address Chosen(IReadOnlyList<Address> members) => Assert.Single(ReplicaPlacement.Choose(EntityId, Self, members, 1));

    private static T[] Of<T>(OwnerTransition t) => t.Effects.OfType<T>().ToArray();

    [Fact]
    public void A_recovered_owner_asks_every_member_to_reconcile_without_creating_replicas_and_waits()
    {
        Address[] members = [Self, Node("a"), Node("b")];

        var t = Fresh().Begin(members);

        Assert.False(t.State.Serving);
        Assert.Equal(members.Select(m => new OwnerEffect.Reconcile(m, CreateIfMissing: false)), Of<OwnerEffect.Reconcile>(t));
        Assert.Equal(new OwnerEffect.StartReconcileDeadline(TimeSpan.FromSeconds(10)), Assert.Single(Of<OwnerEffect.StartReconcileDeadline>(t)));
        Assert.Empty(Of<OwnerEffect.Serve>(t));
    }

    [Fact]
    public void The_owner_serves_once_every_member_answered_and_a_holder_that_is_chosen_is_not_filled_again()
    {
        Address[] members = [Self, Node("a"), Node("b")];
        var holder = Chosen(members);
        var others = members.Where(m => m != holder).ToArray();

        var t = Fresh().Begin(members).State.ReconcileFinished(holder, members);
        Assert.False(t.State.Serving);
        t = t.State.NoReplica(others[0], members);
        Assert.False(t.State.Serving);
        t = t.State.NoReplica(others[1], members);

        Assert.True(t.State.Serving);
        Assert.Equal<OwnerEffect>([OwnerEffect.CancelReconcileDeadline.Instance, OwnerEffect.Serve.Instance], t.Effects);
        Assert.Equal([holder], t.State.Replicas);
        Assert.Empty(t.State.ReplicaHolders);
    }

    [Fact]
    public void A_holder_that_is_not_chosen_is_released_and_the_chosen_node_is_filled()
    {
        Address[] members = [Self, Node("a"), Node("b")];
        var chosen = Chosen(members);
        var holder = members.First(m => m != chosen && m != Self);

        var t = Fresh().Begin(members).State.ReconcileFinished(holder, members)
            .Then(s => s.NoReplica(chosen, members)).Then(s => s.NoReplica(Self, members));

        Assert.True(t.State.Serving);
        Assert.Equal(new OwnerEffect.Reconcile(chosen, CreateIfMissing: true), Assert.Single(Of<OwnerEffect.Reconcile>(t), r => r.CreateIfMissing));
        Assert.Equal(new OwnerEffect.Release(holder), Assert.Single(Of<OwnerEffect.Release>(t)));
    }

    [Fact]
    public void An_open_stream_from_a_replica_holds_serving_back_until_it_closes()
    {
        Address[] members = [Self];
        var t = Fresh().Begin(members).State.InboundOpened().State.NoReplica(Self, members);
        Assert.False(t.State.Serving);

        t = t.State.InboundClosed(members);

        Assert.True(t.State.Serving);
        Assert.Single(Of<OwnerEffect.Serve>(t));
    }

    [Fact]
    public void The_reconcile_deadline_makes_the_owner_serve_without_the_silent_members()
    {
        Address[] members = [Self, Node("a")];
        var t = Fresh().Begin(members).State.InboundOpened().State.ReconcileDeadlinePassed(members);

        Assert.True(t.State.Serving);
        Assert.Empty(t.State.ReconcilePending);
        Assert.Equal(0, t.State.OpenInbound);
        Assert.Single(Of<OwnerEffect.Serve>(t));
        Assert.Empty(t.State.ReconcileDeadlinePassed(members).Effects);
    }

    [Fact]
    public void Membership_changes_move_replicas_only_once_the_owner_serves()
    {
        Address[] members = [Self, Node("a")];
        var waiting = Fresh().Begin([Self, Node("a")]).State;

        Assert.Empty(waiting.MembershipChanged(members).Effects);
        Assert.Empty(waiting.MembershipChanged(members).State.Replicas);
    }

    [Fact]
    public void A_new_placement_fills_the_new_replica_and_releases_the_old_one_while_it_is_reachable()
    {
        var a = Node("a");
        var owner = Serving(Self, a);
        Assert.Equal([a], owner.Replicas);
        var b = Enumerable.Range(0, 100).Select(i => Node("b" + i)).First(n => Chosen([Self, a, n]) == n);

        var t = owner.MembershipChanged([Self, a, b]);

        Assert.Equal([b], t.State.Replicas);
        Assert.Equal<OwnerEffect>([new OwnerEffect.Reconcile(b, CreateIfMissing: true), new OwnerEffect.Release(a)], t.Effects);
    }

    [Fact]
    public void A_replica_whose_node_left_is_replaced_and_not_sent_a_release()
    {
        var (a, b) = (Node("a"), Node("b"));
        var owner = Serving(Self, a, b);
        var first = Assert.Single(owner.Replicas);
        var second = first == a ? b : a;

        var t = owner.MembershipChanged([Self, second]);

        Assert.Equal([second], t.State.Replicas);
        Assert.Equal<OwnerEffect>([new OwnerEffect.Reconcile(second, CreateIfMissing: true)], t.Effects);
        Assert.Empty(t.State.MembershipChanged([Self, second]).Effects);
    }

    [Fact]
    public void Deltas_are_numbered_per_incarnation_and_sent_to_every_replica()
    {
        var owner = Fresh(backups: 2).Begin([]).State.MembershipChanged([Self, Node("a"), Node("b")]).State;

        var (first, seq1) = owner.Delta(Event);
        var (second, seq2) = first.State.Delta(Event);

        Assert.Equal((1L, 2L), (seq1, seq2));
        Assert.Equal(owner.Replicas.Select(r => new OwnerEffect.SendDelta(r, new ReplicaDelta(EntityId, 2, Event))), Of<OwnerEffect.SendDelta>(second));
        Assert.Equal(2, Of<OwnerEffect.SendDelta>(first).Length);
    }

    [Fact]
    public void Without_replicas_a_delta_is_not_numbered_and_nothing_is_sent()
    {
        var (t, seq) = Serving(Self).Delta(Event);

        Assert.Equal(0, seq);
        Assert.Empty(t.Effects);
        Assert.Equal(0, t.State.DeltaSeq);
    }

    [Fact]
    public void The_first_wait_starts_the_deadline_check_at_a_quarter_of_the_timeout_and_later_waits_do_not()
    {
        var t = Serving(Self, Node("a")).AwaitReplica(1, needsJournal: true, Answer, T0);
        Assert.Equal(new OwnerEffect.StartAckTicks(TimeSpan.FromMilliseconds(500)), Assert.Single(t.Effects));
        Assert.Empty(t.State.AwaitReplica(2, needsJournal: true, Answer, T0).Effects);

        var tiny = Fresh(ackTimeout: TimeSpan.Zero).AwaitReplica(1, needsJournal: true, Answer, T0);
        Assert.Equal(new OwnerEffect.StartAckTicks(OwnerReplication.MinAckTickInterval), Assert.Single(tiny.Effects));
    }

    [Fact]
    public void A_confirmation_before_the_journal_write_is_answered_at_persisted_once_journaled()
    {
        var acked = Serving(Self, Node("a")).AwaitReplica(7, needsJournal: true, Answer, T0).State.Acked(7);
        Assert.Empty(acked.Effects);

        var t = acked.State.Journaled(7);

        Assert.Equal(new OwnerEffect.AnswerWrite(7, Answer, WriteConcern.Persisted, null), Assert.Single(t.Effects));
        Assert.Empty(t.State.Awaiting);
    }

    [Fact]
    public void A_confirmation_after_the_journal_write_is_answered_at_persisted_at_once()
    {
        var journaled = Serving(Self, Node("a")).AwaitReplica(7, needsJournal: true, Answer, T0).State.Journaled(7);
        Assert.Empty(journaled.Effects);

        var t = journaled.State.Acked(7);

        Assert.Equal(new OwnerEffect.AnswerWrite(7, Answer, WriteConcern.Persisted, null), Assert.Single(t.Effects));
    }

    [Fact]
    public void With_ack_memory_a_confirmation_is_answered_at_replicated_before_the_journal_write()
    {
        var t = Serving(Self, Node("a")).AwaitReplica(7, needsJournal: false, Answer, T0).State.Acked(7);

        Assert.Equal(new OwnerEffect.AnswerWrite(7, Answer, WriteConcern.Replicated, null), Assert.Single(t.Effects));
        Assert.Empty(t.State.Journaled(7).Effects);
    }

    [Fact]
    public void A_wait_past_its_deadline_is_answered_at_applied_with_the_concern_not_met_once_journaled()
    {
        var waiting = Serving(Self, Node("a")).AwaitReplica(7, needsJournal: true, Answer, T0).State;
        Assert.Empty(waiting.Tick(T0 + AckTimeout - TimeSpan.FromMilliseconds(1)).Effects.OfType<OwnerEffect.AnswerWrite>());

        var timedOut = waiting.Tick(T0 + AckTimeout);
        Assert.Empty(timedOut.Effects);
        var t = timedOut.State.Journaled(7);

        var answer = Assert.Single(Of<OwnerEffect.AnswerWrite>(t));
        Assert.Equal(WriteConcern.Applied, answer.Achieved);
        Assert.Equal("Timeout: achieved APPLIED, requested REPLICATED (the op is applied and journaled; no replica confirmed within 2000 ms)", answer.ConcernNotMet);
    }

    [Fact]
    public void A_journaled_wait_that_times_out_is_answered_by_the_tick_which_then_stops()
    {
        var journaled = Serving(Self, Node("a")).AwaitReplica(7, needsJournal: true, Answer, T0).State.Journaled(7).State;

        var t = journaled.Tick(T0 + AckTimeout + TimeSpan.FromSeconds(1));

        Assert.Equal(WriteConcern.Applied, Assert.Single(Of<OwnerEffect.AnswerWrite>(t)).Achieved);
        Assert.Equal(OwnerEffect.StopAckTicks.Instance, t.Effects[^1]);
        Assert.Empty(t.State.Awaiting);
    }

    [Fact]
    public void The_tick_keeps_running_while_a_wait_has_not_ended()
    {
        var waiting = Serving(Self, Node("a")).AwaitReplica(7, needsJournal: true, Answer, T0).State
            .AwaitReplica(8, needsJournal: true, Answer, T0 + AckTimeout).State.Journaled(7).State;

        var t = waiting.Tick(T0 + AckTimeout);

        Assert.Equal(7, Assert.Single(Of<OwnerEffect.AnswerWrite>(t)).Seq);
        Assert.Empty(Of<OwnerEffect.StopAckTicks>(t));
        Assert.Equal([8L], t.State.Awaiting.Keys);
    }

    [Fact]
    public void Repeated_and_late_confirmations_answer_a_write_only_once()
    {
        var journaled = Serving(Self, Node("a")).AwaitReplica(7, needsJournal: true, Answer, T0).State.Journaled(7).State;

        var first = journaled.Acked(7);
        var again = first.State.Acked(7);

        Assert.Single(Of<OwnerEffect.AnswerWrite>(first));
        Assert.Empty(again.Effects);
        var timedOut = journaled.Tick(T0 + AckTimeout).State;
        Assert.Empty(timedOut.Acked(7).Effects);
        Assert.Empty(Serving(Self).Acked(99).Effects);
    }

    [Fact]
    public void A_graceful_stop_releases_every_replica()
    {
        var owner = Fresh(backups: 2).Begin([]).State.MembershipChanged([Self, Node("a"), Node("b")]).State;

        var t = owner.Stop();

        Assert.Equal(owner.Replicas.Select(r => new OwnerEffect.Release(r)), Of<OwnerEffect.Release>(t));
        Assert.Empty(t.State.Replicas);
        Assert.Empty(t.State.Stop().Effects);
    }
}
