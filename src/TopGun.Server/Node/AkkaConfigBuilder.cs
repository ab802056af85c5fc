using System.Text.Json;
using Akka.Configuration;
using Akka.Streams;
using TopGun.Server.Configuration;
using TopGun.Server.Storage;

namespace TopGun.Server.Node;

/// <summary>
/// The ActorSystem's config: keys derived from <see cref="TopGunSettings"/> (remoting address, seeds,
/// storage plugins) over the node's merged HOCON, over Akka.Streams' defaults (every node needs them,
/// or a StreamRef arriving from another node is dropped for lack of its serializer).
/// </summary>
internal static class AkkaConfigBuilder
{
    public static Config Build(NodeConfiguration node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var settings = node.Settings;
        var seeds = string.Join(", ", SeedAddresses(settings.Cluster).Select(s => JsonSerializer.Serialize(s)));
        var derived = ConfigurationFactory.ParseString($$"""
            akka.remote.dot-netty.tcp {
              hostname = {{JsonSerializer.Serialize(settings.Cluster.Hostname)}}
              port = {{settings.Cluster.Port}}
            }
            akka.cluster.seed-nodes = [{{seeds}}]
            """);
        return derived
            .WithFallback(StorageConfigBuilder.Build(settings))
            .WithFallback(node.Config)
            .WithFallback(ActorMaterializer.DefaultConfig());
    }

    /// <summary>Seed entries as full addresses; "host:port" is accepted as shorthand for this system's name.</summary>
    public static IReadOnlyList<string> SeedAddresses(ClusterSettings cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return cluster.SeedNodes
            .Select(seed => seed.Contains("://", StringComparison.Ordinal) ? seed : $"akka.tcp://{cluster.SystemName}@{seed}")
            .ToArray();
    }
}
