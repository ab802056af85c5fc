using Akka.Configuration;
using TopGun.Server.Configuration;

namespace TopGun.Server.Tests.Support;

/// <summary>Node configurations for tests: OS-assigned ports, a private data dir, no process environment.</summary>
public static class TestNode
{
    public static Dictionary<string, string?> Environment(string dataDir, params (string Name, string Value)[] extra)
    {
        var env = new Dictionary<string, string?>
        {
            ["TOPGUN_DATA_DIR"] = dataDir,
            ["TOPGUN_PORT"] = "0",
            ["TOPGUN_CLUSTER_PORT"] = "0",
        };
        foreach (var (name, value) in extra) env[name] = value;
        return env;
    }

    /// <summary>Config for tests that only need persistence: a local provider starts faster than a cluster node.</summary>
    public static NodeConfiguration LocalPersistence(IReadOnlyDictionary<string, string?> env) =>
        NodeConfigurationLoader.Load(env, ConfigurationFactory.ParseString(
            """
            akka.actor.provider = local
            akka.loglevel = WARNING
            akka.actor.serializers.test-notes = "TopGun.Server.Tests.Serialization.TestNotesSerializer, TopGun.Server.Tests"
            akka.actor.serialization-bindings {
              "TopGun.Server.Tests.Serialization.NoteAdded, TopGun.Server.Tests" = test-notes
              "TopGun.Server.Tests.Serialization.NotesSnapshot, TopGun.Server.Tests" = test-notes
            }
            """));
}
