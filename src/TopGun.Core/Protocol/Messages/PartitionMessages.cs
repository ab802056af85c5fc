using MessagePack;

namespace TopGun.Core.Protocol;

/// <summary>C→S: ask for the partition map when the client's version is older.</summary>
public sealed record PartitionMapRequestMessage(long? CurrentVersion = null) : Message
{
    public override string Type => MessageTypes.PartitionMapRequest;

    internal override void Write(ref MessagePackWriter w)
    {
        if (CurrentVersion is not { } version)
        {
            WireWriter.Begin(ref w, 1, "PARTITION_MAP_REQUEST"u8);
            return;
        }
        WireWriter.Begin(ref w, 2, "PARTITION_MAP_REQUEST"u8);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 1);
        WireWriter.Num(ref w, "currentVersion"u8, version);
    }

    internal static PartitionMapRequestMessage Read(ref WireReader r)
    {
        if (!r.SeekPayload()) return new PartitionMapRequestMessage();
        long? version = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("currentVersion"u8)) version = r.OptNonNegInt("currentVersion");
            else r.Skip();
        }
        return new PartitionMapRequestMessage(version);
    }
}

/// <summary>A cluster member as clients see it.</summary>
public sealed record PartitionNodeInfo(string NodeId, string WebSocketEndpoint, string Status)
{
    internal void Write(ref MessagePackWriter w)
    {
        WireWriter.Map(ref w, 3);
        WireWriter.Str(ref w, "nodeId"u8, NodeId);
        WireWriter.Key(ref w, "endpoints"u8);
        WireWriter.Map(ref w, 1);
        WireWriter.Str(ref w, "websocket"u8, WebSocketEndpoint);
        WireWriter.Str(ref w, "status"u8, Status);
    }

    internal static PartitionNodeInfo Read(ref WireReader r)
    {
        string? nodeId = null, ws = null, status = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("nodeId"u8)) nodeId = r.Str("nodeId");
            else if (k.SequenceEqual("status"u8)) status = r.Str("status");
            else if (k.SequenceEqual("endpoints"u8))
            {
                r.Enter("endpoints");
                var m = r.MapHeader();
                for (var j = 0; j < m; j++)
                {
                    var ek = r.Key();
                    if (r.SkipUndefined()) continue;
                    if (ek.SequenceEqual("websocket"u8)) ws = r.Str("websocket");
                    else r.Skip();
                }
                ws = r.Required(ws, "websocket");
                r.Leave();
            }
            else r.Skip();
        }
        return new PartitionNodeInfo(r.Required(nodeId, "nodeId"), r.Required(ws, "endpoints"), r.Required(status, "status"));
    }
}

/// <summary>Owner and backups of one partition.</summary>
public sealed record PartitionInfo(int PartitionId, string OwnerNodeId, WireList<string> BackupNodeIds)
{
    internal void Write(ref MessagePackWriter w)
    {
        WireWriter.Map(ref w, 3);
        WireWriter.Num(ref w, "partitionId"u8, PartitionId);
        WireWriter.Str(ref w, "ownerNodeId"u8, OwnerNodeId);
        WireWriter.StringList(ref w, "backupNodeIds"u8, BackupNodeIds);
    }

    internal static PartitionInfo Read(ref WireReader r)
    {
        int? id = null;
        string? owner = null;
        WireList<string>? backups = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("partitionId"u8)) id = r.Int32("partitionId");
            else if (k.SequenceEqual("ownerNodeId"u8)) owner = r.Str("ownerNodeId");
            else if (k.SequenceEqual("backupNodeIds"u8)) backups = r.StringList("backupNodeIds");
            else r.Skip();
        }
        return new PartitionInfo(r.Required(id, "partitionId"), r.Required(owner, "ownerNodeId"), backups ?? WireList<string>.Empty);
    }
}

/// <summary>S→C: which node owns which partition; <see cref="GeneratedAt"/> is wall-clock ms.</summary>
public sealed record PartitionMapMessage(long Version, int PartitionCount, WireList<PartitionNodeInfo> Nodes, WireList<PartitionInfo> Partitions, double GeneratedAt) : Message
{
    public override string Type => MessageTypes.PartitionMap;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "PARTITION_MAP"u8);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 5);
        WireWriter.Num(ref w, "version"u8, Version);
        WireWriter.Num(ref w, "partitionCount"u8, PartitionCount);
        WireWriter.Key(ref w, "nodes"u8);
        w.WriteArrayHeader(Nodes.Count);
        foreach (var node in Nodes) node.Write(ref w);
        WireWriter.Key(ref w, "partitions"u8);
        w.WriteArrayHeader(Partitions.Count);
        foreach (var p in Partitions) p.Write(ref w);
        WireWriter.Float(ref w, "generatedAt"u8, GeneratedAt);
    }

    internal static PartitionMapMessage Read(ref WireReader r)
    {
        long? version = null;
        int? count = null;
        WireList<PartitionNodeInfo>? nodes = null;
        WireList<PartitionInfo>? partitions = null;
        double? generatedAt = null;
        var n = r.Payload();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("version"u8)) version = r.NonNegInt("version");
            else if (k.SequenceEqual("partitionCount"u8)) count = r.Int32("partitionCount");
            else if (k.SequenceEqual("nodes"u8)) nodes = WireLists.Read(ref r, "nodes", PartitionNodeInfo.Read);
            else if (k.SequenceEqual("partitions"u8)) partitions = WireLists.Read(ref r, "partitions", PartitionInfo.Read);
            else if (k.SequenceEqual("generatedAt"u8)) generatedAt = r.Num("generatedAt");
            else r.Skip();
        }
        return new PartitionMapMessage(r.Required(version, "version"), r.Required(count, "partitionCount"), r.Required(nodes, "nodes"),
            r.Required(partitions, "partitions"), r.Required(generatedAt, "generatedAt"));
    }
}
