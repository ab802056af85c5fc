namespace TopGun.Server.Maps;

/// <summary>
/// Why a <see cref="PartitionGather"/> failed as a whole: a closed family, so callers branch on the case
/// (a timeout is the node's fault, 503; a rejection is the request's, 400) instead of comparing strings.
/// <see cref="Reason"/> is the text clients see after "failed: ".
/// </summary>
/// <remarks>
/// There is no "partition gone" case: a partition that moves is buffered by the shard region and a node
/// that dies is only noticed by the gather's timer, so nothing today could report it.
/// </remarks>
internal abstract record GatherFailure
{
    private GatherFailure()
    {
    }

    public abstract string Reason { get; }

    /// <summary>Not every partition answered before the gather's timeout.</summary>
    public sealed record TimedOut : GatherFailure
    {
        public static readonly TimedOut Instance = new();

        public override string Reason => "timed out";
    }

    /// <summary>A partition refused the command (<see cref="PartitionCommandRejected"/>).</summary>
    public sealed record Rejected(string Error) : GatherFailure
    {
        public override string Reason => Error;
    }
}
