using Akka.Configuration;
using TopGun.Server.Configuration;
using TopGun.Server.Tests.Support;

namespace TopGun.Server.Tests.Configuration;

/// <summary>The commented examples in hocon/ must load, and must not drift from reference.conf.</summary>
public sealed class OperatorHoconTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public static TheoryData<string> ExampleFiles() => ["topgun.conf", "sqlite.conf", "postgres.conf", "cluster.conf"];

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void Example_file_loads_as_TOPGUN_CONFIG(string file)
    {
        var env = new Dictionary<string, string?>
        {
            ["TOPGUN_DATA_DIR"] = _dir.Path,
            ["TOPGUN_CONFIG"] = HoconPath(file),
        };
        if (file == "cluster.conf")
        {
            // As the file says: a cluster runs on PostgreSQL (postgres.conf or these variables).
            env["TOPGUN_STORAGE"] = "postgres";
            env["TOPGUN_POSTGRES"] = "Host=db;Username=topgun;Database=topgun";
        }
        var settings = NodeConfigurationLoader.Load(env).Settings;

        Assert.False(string.IsNullOrEmpty(settings.NodeId));
    }

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void Example_file_uses_only_topgun_keys_that_reference_conf_defines(string file)
    {
        var example = ConfigurationFactory.ParseString(File.ReadAllText(HoconPath(file)));
        var reference = NodeConfigurationLoader.Reference;

        var unknown = LeafPaths(example.GetConfig("topgun").Root, "topgun").Where(path => !reference.HasPath(path)).ToArray();

        Assert.Empty(unknown);
    }

    [Fact]
    public void Defaults_shown_in_topgun_conf_are_the_reference_defaults()
    {
        var env = new Dictionary<string, string?> { ["TOPGUN_DATA_DIR"] = _dir.Path };
        var reference = NodeConfigurationLoader.Load(env).Settings;
        var example = NodeConfigurationLoader.Load(new Dictionary<string, string?>(env) { ["TOPGUN_CONFIG"] = HoconPath("topgun.conf") }).Settings;

        Assert.Equal(reference.Host, example.Host);
        Assert.Equal(reference.Port, example.Port);
        Assert.Equal(reference.Ack, example.Ack);
        Assert.Equal(reference.SnapshotEvery, example.SnapshotEvery);
        Assert.Equal(reference.PartitionCount, example.PartitionCount);
        Assert.Equal(reference.TombstoneGcAge, example.TombstoneGcAge);
        Assert.Equal(reference.Jwt, example.Jwt);
        Assert.Equal(reference.Storage, example.Storage);
        Assert.Equal(reference.Readiness, example.Readiness);
        Assert.Equal(reference.Limits, example.Limits);
        Assert.Equal(reference.Coalescing, example.Coalescing);
        Assert.Equal(reference.Hlc, example.Hlc);
    }

    public void Dispose() => _dir.Dispose();

    private static IEnumerable<string> LeafPaths(Akka.Configuration.Hocon.HoconValue value, string prefix)
    {
        if (!value.IsObject())
        {
            yield return prefix;
            yield break;
        }
        foreach (var (key, child) in value.GetObject().Items)
        {
            foreach (var path in LeafPaths(child, prefix + "." + key))
                yield return path;
        }
    }

    private static string HoconPath(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "hocon", file);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"hocon/{file} not found above {AppContext.BaseDirectory}");
    }
}
