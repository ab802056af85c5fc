namespace TopGun.Server.Maps;

/// <summary>
/// One client request fanned out to map partitions: the correlation ids still outstanding and the
/// replies so far. Completes when every partition answered; fails as a whole on a rejection or timeout
/// (the replies that did arrive stay readable, so a write can still report which ops made it).
/// Started and fed by its owner's <see cref="PartitionGathers"/>.
/// </summary>
internal sealed class PartitionGather
{
    private readonly HashSet<long> _outstanding = [];
    private readonly List<IPartitionReply> _replies = [];
    private readonly Action<PartitionGather> _onComplete;
    private readonly Action<PartitionGather, GatherFailure> _onFailure;

    public PartitionGather(long id, Action<PartitionGather> onComplete, Action<PartitionGather, GatherFailure> onFailure)
    {
        Id = id;
        _onComplete = onComplete;
        _onFailure = onFailure;
    }

    /// <summary>Also the key of the gather's timeout timer.</summary>
    public long Id { get; }

    public IReadOnlyList<IPartitionReply> Replies => _replies;

    public IReadOnlyCollection<long> Outstanding => _outstanding;

    public bool IsFinished { get; private set; }

    public void Expect(long correlationId) => _outstanding.Add(correlationId);

    /// <summary>Records a reply; true when it was the last one and the gather completed.</summary>
    public bool Accept(IPartitionReply reply)
    {
        if (IsFinished || !_outstanding.Remove(reply.CorrelationId)) return false;
        if (reply is PartitionCommandRejected rejected)
        {
            Fail(new GatherFailure.Rejected(rejected.Error));
            return true;
        }
        _replies.Add(reply);
        if (_outstanding.Count > 0) return false;
        IsFinished = true;
        _onComplete(this);
        return true;
    }

    /// <summary>Completes a gather that needed no partition at all.</summary>
    public void CompleteIfEmpty()
    {
        if (IsFinished || _outstanding.Count > 0) return;
        IsFinished = true;
        _onComplete(this);
    }

    public void Fail(GatherFailure failure)
    {
        if (IsFinished) return;
        IsFinished = true;
        _onFailure(this, failure);
    }
}
