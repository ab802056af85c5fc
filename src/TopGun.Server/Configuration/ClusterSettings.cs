namespace TopGun.Server.Configuration;

/// <summary>Akka remoting and cluster membership (<c>topgun.cluster</c>).</summary>
public sealed record ClusterSettings(
    string SystemName,
    string Hostname,
    int Port,
    IReadOnlyList<string> SeedNodes)
{
    /// <summary>No seeds: the node joins itself and forms a one-node cluster.</summary>
    public bool JoinsSelf => SeedNodes.Count == 0;

    public ClusterSettings WithPort(int port) => this with { Port = port };

    public ClusterSettings WithSeedNodes(IReadOnlyList<string> seeds) => this with { SeedNodes = seeds };
}
