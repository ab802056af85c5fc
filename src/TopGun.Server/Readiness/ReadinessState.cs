namespace TopGun.Server.Readiness;

/// <summary>
/// What /ready reports. Each condition flips once from false to true; the node is ready when all hold.
/// Thread-safe: written by the actor system's callbacks, read by HTTP requests.
/// </summary>
internal sealed class ReadinessState
{
    private volatile bool _actorSystemStarted;
    private volatile bool _memberUp;
    private volatile bool _journalAnswered;
    private volatile bool _startupStepsDone;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool ActorSystemStarted => _actorSystemStarted;
    public bool MemberUp => _memberUp;
    public bool JournalAnswered => _journalAnswered;
    public bool StartupStepsDone => _startupStepsDone;
    public bool IsReady => _actorSystemStarted && _memberUp && _journalAnswered && _startupStepsDone;

    /// <summary>Completes when every condition holds.</summary>
    public Task WhenReady => _ready.Task;

    public void MarkActorSystemStarted() { _actorSystemStarted = true; Check(); }
    public void MarkMemberUp() { _memberUp = true; Check(); }
    public void MarkJournalAnswered() { _journalAnswered = true; Check(); }
    public void MarkStartupStepsDone() { _startupStepsDone = true; Check(); }

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
