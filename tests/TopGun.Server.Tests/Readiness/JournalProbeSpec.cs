using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using TopGun.Server.Readiness;
using TopGun.Server.Tests.Support;
using TopGun.Server.Node;

namespace TopGun.Server.Tests.Readiness;

public sealed class JournalProbeSpec : TestKit
{
    private readonly TempDirectory _dir;

    public JournalProbeSpec() : this(new TempDirectory()) { }

    private JournalProbeSpec(TempDirectory dir) : base(SystemConfig(dir), "journal-probe")
    {
        _dir = dir;
    }

    [Fact]
    public void Each_probe_run_writes_one_event_after_the_previous_ones()
    {
        var first = Sys.ActorOf(JournalProbe.Props("probe-node"));
        first.Tell(JournalProbe.Run.Instance);
        var one = ExpectMsg<JournalProbe.Succeeded>(TimeSpan.FromSeconds(30));
        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first);

        var second = Sys.ActorOf(JournalProbe.Props("probe-node"));
        second.Tell(JournalProbe.Run.Instance);
        var two = ExpectMsg<JournalProbe.Succeeded>(TimeSpan.FromSeconds(30));

        Assert.Equal(one.SequenceNr + 1, two.SequenceNr);
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private static Config SystemConfig(TempDirectory dir) =>
        AkkaConfigBuilder.Build(TestNode.LocalPersistence(TestNode.Environment(dir.Path)));
}
