namespace TopGun.Server.Readiness;

/// <summary>
/// What /ready reports. The startup conditions flip once from false to true; the journal condition follows
/// the periodic journal probe, so a node whose database went away turns unready and ready again by itself.
/// The node is ready when all hold. Thread-safe: written by the actor system's callbacks and the probe loop,
/// read by HTTP requests and connections.
/// </summary>
internal sealed class ReadinessState
{
    private volatile bool _actorSystemStarted;
    private volatile bool _memberUp;
    private volatile bool _journalAnswered;
    private volatile string? _journalFailure;
    private volatile bool _startupStepsDone;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool ActorSystemStarted => _actorSystemStarted;
    public bool MemberUp => _memberUp;
    public bool JournalAnswered => _journalAnswered;
    public bool StartupStepsDone => _startupStepsDone;
    public bool IsReady => _actorSystemStarted && _memberUp && _journalAnswered && _startupStepsDone;

    /// <summary>Why the last journal probe failed, while the journal has not answered since; null otherwise (also before the first probe).</summary>
    public string? JournalFailure => _journalFailure;

    /// <summary>Completes when every condition held for the first time.</summary>
    public Task WhenReady => _ready.Task;

    /// <summary>True once the node has been ready, so an unready /ready means "lost a condition", not "starting".</summary>
    public bool HasBeenReady => _ready.Task.IsCompleted;

    public void MarkActorSystemStarted() { _actorSystemStarted = true; Check(); }
    public void MarkMemberUp() { _memberUp = true; Check(); }
    public void MarkStartupStepsDone() { _startupStepsDone = true; Check(); }

    /// <summary>A journal probe succeeded; true when the journal had failed before (a change worth logging).</summary>
    public bool MarkJournalAnswered()
    {
        var wasFailing = _journalFailure is not null;
        _journalFailure = null;
        _journalAnswered = true;
        Check();
        return wasFailing;
    }

    /// <summary>A journal probe failed or timed out; true when the journal had been answering (a change worth logging).</summary>
    public bool MarkJournalFailed(string reason)
    {
        var wasAnswering = _journalFailure is null;
        _journalFailure = reason;
        _journalAnswered = false;
        return wasAnswering;
    }

    public IReadOnlyDictionary<string, bool> Snapshot() => new Dictionary<string, bool>
    {
        ["actorSystem"] = ActorSystemStarted,
        ["clusterMemberUp"] = MemberUp,
        ["journal"] = JournalAnswered,
        ["startupSteps"] = StartupStepsDone,
    };

    private void Check()
    {
        if (IsReady) _ready.TrySetResult();
    }
}
