using Akka.Actor;
using Akka.Persistence;

namespace TopGun.Server.Readiness;

/// <summary>
/// Recovers its (tiny) history and persists one event: a round trip through the journal's read and
/// write paths, so /ready means the database really answers. Older probe events are deleted so the
/// stream stays one row long however often the node probes or restarts. A failed recovery or write stops
/// the probe (as Akka.Persistence requires) after telling <c>onFailure</c> why, so the caller need not wait
/// for its timeout to learn that the database is gone.
/// </summary>
internal sealed class JournalProbe : ReceivePersistentActor
{
    public sealed record Run
    {
        public static readonly Run Instance = new();
    }

    public sealed record Succeeded(long SequenceNr);

    private readonly string _nodeId;
    private readonly Action<string>? _onFailure;

    public JournalProbe(string nodeId, Action<string>? onFailure = null)
    {
        _nodeId = nodeId;
        _onFailure = onFailure;
        PersistenceId = "topgun-probe|" + nodeId;
        Recover<JournalProbed>(_ => { });
        Command<Run>(_ =>
        {
            var replyTo = Sender;
            Persist(new JournalProbed(_nodeId, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), _ =>
            {
                if (LastSequenceNr > 1) DeleteMessages(LastSequenceNr - 1);
                replyTo.Tell(new Succeeded(LastSequenceNr));
            });
        });
        Command<DeleteMessagesSuccess>(_ => { });
        // Housekeeping only: a failed delete leaves one extra row, the probe itself succeeded.
        Command<DeleteMessagesFailure>(_ => { });
    }

    public override string PersistenceId { get; }

    /// <param name="onFailure">Called (on the probe's thread) with the reason when recovery or the write fails.</param>
    public static Props Props(string nodeId, Action<string>? onFailure = null) => Akka.Actor.Props.Create(() => new JournalProbe(nodeId, onFailure));

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _onFailure?.Invoke("reading the journal failed: " + Describe(reason));
        base.OnRecoveryFailure(reason, message);
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _onFailure?.Invoke("writing to the journal failed: " + Describe(cause));
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _onFailure?.Invoke("the journal rejected the write: " + Describe(cause));
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    /// <summary>The innermost message says what went wrong (connection refused, …); the outer ones only wrap it.</summary>
    internal static string Describe(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null) inner = inner.InnerException;
        return ReferenceEquals(inner, e) ? e.Message : $"{e.Message} ({inner.Message})";
    }
}
