using System.Globalization;

namespace TopGun.ClusterBench;

/// <summary>
/// Cluster-level measurements that need several real nodes, run by hand:
/// <c>dotnet run -c Release --project tests/TopGun.ClusterBench -- anti-entropy [--keys N] [--differing N] [--rounds N]</c>.
/// Needs TOPGUN_TEST_POSTGRES like the cluster tests.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] != "anti-entropy")
        {
            await Console.Error.WriteLineAsync("usage: anti-entropy [--keys 100000] [--differing 100] [--rounds 7]");
            return 2;
        }
        var options = new AntiEntropyRoundOptions(
            Keys: Option(args, "--keys", 100_000),
            Differing: Option(args, "--differing", 100),
            Rounds: Option(args, "--rounds", 7));
        await AntiEntropyRoundBenchmark.RunAsync(options, Console.Out);
        return 0;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
