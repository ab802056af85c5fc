using CsCheck;
using TopGun.Core.Clock;

namespace TopGun.Core.Tests.Crdt;

/// <summary>The CRDT maps rely on the clock never going backwards; checked under random wall-clock jumps.</summary>
public sealed class HlcPropertyTests
{
    private enum Step { Now, Update, JumpWall }

    private static readonly Gen<(Step Step, int Amount, int Counter)[]> GenSteps =
        Gen.Select(Gen.Int[0, 2].Select(i => (Step)i), Gen.Int[-100_000, 100_000], Gen.Int[0, 5]).Array[1, 60];

    [Fact]
    public void Never_issues_a_timestamp_at_or_below_one_it_issued_or_received() =>
        GenSteps.Sample(steps =>
        {
            var time = new ManualTimeSource(1_000_000);
            var hlc = new Hlc("node-a", time);
            var high = (Millis: long.MinValue, Counter: 0);

            foreach (var (step, amount, counter) in steps)
            {
                switch (step)
                {
                    case Step.JumpWall:
                        time.Set(1_000_000 + amount);
                        break;
                    case Step.Update:
                        var remote = new Timestamp(time.NowMillis() + amount / 10, counter, "node-b");
                        hlc.Update(remote);
                        Assert.True(Above(hlc.Last, (remote.Millis, remote.Counter)), $"{hlc.Last} not above received {remote}");
                        high = Max(high, (remote.Millis, remote.Counter));
                        break;
                    default:
                        var issued = hlc.Now();
                        Assert.True(Above(issued, high), $"{issued} not above {high}");
                        Assert.True(issued.Millis >= time.NowMillis());
                        high = (issued.Millis, issued.Counter);
                        break;
                }
            }
        });

    private static bool Above(Timestamp t, (long Millis, int Counter) high) =>
        t.Millis > high.Millis || (t.Millis == high.Millis && t.Counter > high.Counter);

    private static (long, int) Max((long Millis, int Counter) a, (long Millis, int Counter) b) =>
        a.Millis > b.Millis || (a.Millis == b.Millis && a.Counter >= b.Counter) ? a : b;
}
