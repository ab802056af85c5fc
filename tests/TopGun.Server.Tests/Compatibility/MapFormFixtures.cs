using System.Runtime.CompilerServices;
using TopGun.Server.Maps.Serialization;

namespace TopGun.Server.Tests.Compatibility;

/// <summary>
/// Fixtures of the map serializer's optional forms (a v1 manifest with a trailing element set), under
/// <c>Fixtures/4712/</c>. Written once with <c>TOPGUN_WRITE_FIXTURES=1</c> when missing, never overwritten.
/// </summary>
internal static class MapFormFixtures
{
    public static byte[] Load(string name, object sample)
    {
        var file = Path.Combine(AppContext.BaseDirectory, "Compatibility", "Fixtures", "4712", name);
        if (!File.Exists(file) && Environment.GetEnvironmentVariable("TOPGUN_WRITE_FIXTURES") == "1")
        {
            var bytes = MapSerializer.Manifests.Write(sample);
            foreach (var path in new[] { Path.Combine(SourceFixtures(), "4712", name), file })
            {
                using var stream = new FileStream(path, FileMode.CreateNew); // never overwrite a committed fixture
                stream.Write(bytes);
            }
        }
        Assert.True(File.Exists(file), $"No fixture {file} (see Fixtures/README.md).");
        return File.ReadAllBytes(file);
    }

    private static string SourceFixtures([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "Fixtures");
}
