using System.Text.Json;

namespace TopGun.Core.Tests.CrossCheck;

/// <summary>The frames pack-samples.js produced with msgpackr, by message type; node runs once per test class.</summary>
public sealed class MsgpackrPackedSamples
{
    public MsgpackrPackedSamples()
    {
        foreach (var line in NodeScript.Run("pack-samples.js").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = JsonDocument.Parse(line);
            Frames[doc.RootElement.GetProperty("name").GetString()!] = Convert.FromBase64String(doc.RootElement.GetProperty("b64").GetString()!);
        }
    }

    public Dictionary<string, byte[]> Frames { get; } = new(StringComparer.Ordinal);
}
