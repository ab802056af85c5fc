using Akka.Actor;

namespace TopGun.Server.Maps;

/// <summary>
/// The partition gathers of one actor (a connection, a live-query session): correlation ids, outstanding
/// calls and one timeout timer per gather. The owner hands it every <see cref="IPartitionReply"/> and
/// <see cref="GatherTimedOut"/> it receives (<see cref="Handle"/>). Lives next to the partition protocol so
/// that every folder that talks to partitions can use it without depending on another feature folder.
/// </summary>
internal sealed class PartitionGathers
{
    private readonly Dictionary<long, PartitionGather> _calls = [];
    private readonly Dictionary<long, PartitionGather> _gathers = [];
    private readonly IActorRef _partitions;
    private readonly ITimerScheduler _timers;
    private readonly IActorRef _owner;
    private long _nextId;

    /// <param name="partitions">The "map" shard region (or a probe standing in for it).</param>
    /// <param name="timers">The owner's timers; the timeouts come back to the owner as <see cref="GatherTimedOut"/>.</param>
    /// <param name="owner">The actor the partitions reply to.</param>
    public PartitionGathers(IActorRef partitions, ITimerScheduler timers, IActorRef owner)
    {
        _partitions = partitions;
        _timers = timers;
        _owner = owner;
    }

    /// <summary>Starts a fan-out to partitions, failed as a whole when <paramref name="timeout"/> passes first.</summary>
    public PartitionGather Start(TimeSpan timeout, Action<PartitionGather> onComplete, Action<PartitionGather, GatherFailure> onFailure)
    {
        var id = ++_nextId;
        var gather = new PartitionGather(
            id,
            g =>
            {
                Forget(g);
                onComplete(g);
            },
            (g, failure) =>
            {
                Forget(g);
                onFailure(g, failure);
            });
        _gathers[id] = gather;
        _timers.StartSingleTimer(new GatherTimerKey(id), new GatherTimedOut(id), timeout);
        return gather;
    }

    /// <summary>Sends one partition command as part of <paramref name="gather"/>; the reply comes back to the owner.</summary>
    public long Call(PartitionGather gather, string mapName, string partition, Func<long, IPartitionCommand> command)
    {
        var correlationId = ++_nextId;
        gather.Expect(correlationId);
        _calls[correlationId] = gather;
        _partitions.Tell(new PartitionEnvelope(mapName, partition, command(correlationId)), _owner);
        return correlationId;
    }

    /// <summary>True when <paramref name="message"/> was a partition reply or a gather timeout (handled or stale).</summary>
    public bool Handle(object message)
    {
        switch (message)
        {
            case IPartitionReply reply:
                if (_calls.Remove(reply.CorrelationId, out var gather)) gather.Accept(reply);
                return true;
            case GatherTimedOut timedOut:
                if (_gathers.TryGetValue(timedOut.Id, out var late)) late.Fail(GatherFailure.TimedOut.Instance);
                return true;
            default:
                return false;
        }
    }

    private void Forget(PartitionGather gather)
    {
        _gathers.Remove(gather.Id);
        _timers.Cancel(new GatherTimerKey(gather.Id));
        foreach (var correlationId in gather.Outstanding) _calls.Remove(correlationId);
    }

    /// <summary>A gather's timer fired (node-local, never serialized).</summary>
    internal sealed record GatherTimedOut(long Id);

    private sealed record GatherTimerKey(long Id);
}
