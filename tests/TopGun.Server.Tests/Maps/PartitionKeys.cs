using TopGun.Server.Maps;

namespace TopGun.Server.Tests.Maps;

/// <summary>Keys that land in a chosen partition, so tests can address one entity.</summary>
internal static class PartitionKeys
{
    public static IReadOnlyList<string> In(string partition, int count, string prefix = "k")
    {
        var keys = new List<string>(count);
        for (var i = 0; keys.Count < count; i++)
        {
            var key = prefix + i;
            if (PartitionKey.Of(key) == partition) keys.Add(key);
        }
        return keys;
    }

    public static string Outside(string partition) =>
        Enumerable.Range(0, 1000).Select(i => "x" + i).First(k => PartitionKey.Of(k) != partition);
}
