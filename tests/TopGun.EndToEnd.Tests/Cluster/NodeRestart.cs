namespace TopGun.EndToEnd.Tests.Cluster;

/// <summary>How long one step of a rolling restart took: SIGTERM to exit, start to ready, ready to every node seeing all members Up.</summary>
public sealed record NodeRestart(string Node, TimeSpan StopToExit, TimeSpan StartToReady, TimeSpan ReadyToAllUp)
{
    public override string ToString() =>
        $"{Node}: stop→exit {StopToExit.TotalSeconds:F1} s, start→ready {StartToReady.TotalSeconds:F1} s, ready→all Up {ReadyToAllUp.TotalSeconds:F1} s";
}
