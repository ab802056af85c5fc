using Akka.Actor;
using Akka.Persistence;

namespace TopGun.Server.Readiness;

/// <summary>
/// Recovers its (tiny) history and persists one event: a round trip through the journal's read and
/// write paths, so /ready means the database really answers. Older probe events are deleted so the
/// stream stays one row long however often the node restarts.
/// </summary>
internal sealed class JournalProbe : ReceivePersistentActor
{
    public sealed record Run
    {
        public static readonly Run Instance = new();
    }

    public sealed record Succeeded(long SequenceNr);

    private readonly string _nodeId;

    public JournalProbe(string nodeId)
    {
        _nodeId = nodeId;
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

    public static Props Props(string nodeId) => Akka.Actor.Props.Create(() => new JournalProbe(nodeId));
}
