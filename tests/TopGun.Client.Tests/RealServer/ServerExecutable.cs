namespace TopGun.Client.Tests.RealServer;

/// <summary>
/// src/TopGun.Server/bin/&lt;configuration&gt;/&lt;tfm&gt;/TopGun.Server.dll, built with the same configuration as
/// this assembly (the project reference only orders the build; the server runs from its own output
/// folder because its dependencies differ from the client's).
/// </summary>
internal static class ServerExecutable
{
    public static string Locate()
    {
        var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfmDir.Parent!.Name;
        for (var dir = tfmDir; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "TopGun.Server", "bin", configuration, tfmDir.Name, "TopGun.Server.dll");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("TopGun.Server.dll not found; build src/TopGun.Server with configuration " + configuration);
    }
}
