using Akka.Actor;
using Akka.Persistence;
using TopGun.Server.Tests.Serialization;

namespace TopGun.Server.Tests.Storage;

/// <summary>The smallest persistent actor that exercises events, snapshots and recovery.</summary>
public sealed class NoteTaker : ReceivePersistentActor
{
    public sealed record Add(string Text);
    public sealed record Added(long SequenceNr);
    public sealed record TakeSnapshot;
    public sealed record SnapshotTaken(long SequenceNr);
    public sealed record Get;
    public sealed record Notes(IReadOnlyList<string> Texts, bool RecoveredFromSnapshot);

    private readonly List<string> _texts = [];
    private bool _fromSnapshot;
    private IActorRef? _snapshotRequester;

    public NoteTaker(string persistenceId)
    {
        PersistenceId = persistenceId;
        Recover<SnapshotOffer>(offer =>
        {
            _texts.AddRange(((NotesSnapshot)offer.Snapshot).Texts);
            _fromSnapshot = true;
        });
        Recover<NoteAdded>(e => _texts.Add(e.Text));
        Command<Add>(add => Persist(new NoteAdded(add.Text, _texts.Count), e =>
        {
            _texts.Add(e.Text);
            Sender.Tell(new Added(LastSequenceNr));
        }));
        Command<TakeSnapshot>(_ =>
        {
            _snapshotRequester = Sender;
            SaveSnapshot(new NotesSnapshot(_texts.ToArray()));
        });
        Command<SaveSnapshotSuccess>(s => _snapshotRequester?.Tell(new SnapshotTaken(s.Metadata.SequenceNr)));
        Command<SaveSnapshotFailure>(f => _snapshotRequester?.Tell(new Status.Failure(f.Cause)));
        Command<Get>(_ => Sender.Tell(new Notes(_texts.ToArray(), _fromSnapshot)));
    }

    public override string PersistenceId { get; }

    public static Props Props(string persistenceId) => Akka.Actor.Props.Create(() => new NoteTaker(persistenceId));
}
