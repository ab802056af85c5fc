namespace TopGun.Server.Configuration;

/// <summary>
/// The node id is part of every HLC timestamp this node issues, so a restarted node must keep it:
/// an explicit id wins, otherwise one is generated once and kept in <c>&lt;data-dir&gt;/node-id</c>.
/// </summary>
public static class NodeIdentity
{
    public const string FileName = "node-id";

    public static string Resolve(string? explicitId, string dataDir)
    {
        if (!string.IsNullOrWhiteSpace(explicitId))
        {
            var id = explicitId.Trim();
            return Core.Clock.NodeId.IsValid(id, out var error)
                ? id
                : throw new TopGunConfigurationException($"TOPGUN_NODE_ID '{id}' is invalid: {error} (lowercase printable ASCII, no ':' or spaces).");
        }

        var path = Path.Combine(dataDir, FileName);
        if (File.Exists(path))
        {
            var stored = File.ReadAllText(path).Trim();
            return Core.Clock.NodeId.IsValid(stored, out var error)
                ? stored
                : throw new TopGunConfigurationException($"The node id stored in {path} ('{stored}') is invalid: {error}. Fix or delete the file.");
        }

        Directory.CreateDirectory(dataDir);
        var generated = Core.Clock.NodeId.NewId("node");
        // Write-then-rename so a crash mid-write never leaves a truncated id behind.
        var temp = path + ".tmp";
        File.WriteAllText(temp, generated + "\n");
        File.Move(temp, path, overwrite: true);
        return generated;
    }
}
