namespace TopGun.EndToEnd.Tests.Cluster;

/// <summary>The JSON of <c>GET /admin/cluster</c>, as an operator's script would read it.</summary>
public sealed record AdminClusterView(string Self, string? Leader, IReadOnlyList<AdminMemberView> Members);

public sealed record AdminMemberView(string Address, string Status, bool Reachable, IReadOnlyList<string> Roles);

/// <summary>The JSON of <c>GET /admin/partitions?map=NAME</c>.</summary>
public sealed record AdminPartitionsView(string Node, string Address, string Map, IReadOnlyList<AdminPartitionRoot> Owned, IReadOnlyList<AdminPartitionRoot> Replicas);

public sealed record AdminPartitionRoot(string Partition, string EntityId, uint Root);
