namespace TopGun.Tests.Support;

/// <summary>
/// Where the built TopGun.Server.dll is: TOPGUN_SERVER_DLL when set; else next to the test assembly (a suite that
/// references the server project gets it copied there); else src/TopGun.Server/bin/&lt;configuration&gt;/&lt;tfm&gt;/ above
/// the test assembly, built with the same configuration (a suite whose dependencies differ from the server's, such as
/// the client tests, only orders the build and runs the server from its own output folder).
/// </summary>
public static class ServerExecutable
{
    public const string OverrideVariable = "TOPGUN_SERVER_DLL";

    public static string Locate()
    {
        if (Environment.GetEnvironmentVariable(OverrideVariable) is { Length: > 0 } explicitPath) return explicitPath;
        var beside = Path.Combine(AppContext.BaseDirectory, "TopGun.Server.dll");
        if (File.Exists(beside)) return beside;
        var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfmDir.Parent!.Name;
        for (var dir = tfmDir; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "TopGun.Server", "bin", configuration, tfmDir.Name, "TopGun.Server.dll");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException(
            $"TopGun.Server.dll not found: build src/TopGun.Server with configuration {configuration} (building the test project does), or set {OverrideVariable}.");
    }
}
