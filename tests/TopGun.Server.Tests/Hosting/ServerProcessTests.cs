using System.Diagnostics;

namespace TopGun.Server.Tests.Hosting;

/// <summary>The built executable, as an operator runs it.</summary>
public sealed class ServerProcessTests
{
    [Fact]
    public async Task Production_with_the_development_secret_exits_non_zero_with_a_clear_message()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "topgun-proc-" + Guid.NewGuid().ToString("n")[..12]);
        var start = ServerProcess.StartInfo(new Dictionary<string, string>
        {
            ["TOPGUN_ENV"] = "production",
            ["TOPGUN_DATA_DIR"] = dataDir,
        });

        try
        {
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

            Assert.NotEqual(0, process.ExitCode);
            Assert.Contains("TOPGUN_JWT_SECRET", await stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("TopGun ready", await stdout, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(dataDir)) Directory.Delete(dataDir, recursive: true);
        }
    }
}
