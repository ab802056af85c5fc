using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace TopGun.Core.Tests.CrossCheck;

/// <summary>
/// Runs one of the helper scripts of tests/TopGun.Core.Tests/js with the msgpackr package that
/// scripts/test.sh installs (found through TOPGUN_NODE_MODULES). A missing package fails the test
/// with instructions: the cross-check must never be skipped silently.
/// </summary>
internal static class NodeScript
{
    private const string Missing = "The msgpackr cross-check needs Node.js and msgpackr 1.11.5: run scripts/test.sh, or "
        + "`source scripts/lib.sh; root=$PWD; ensure_node_tools` and run the tests in that shell (it exports TOPGUN_NODE_MODULES).";

    public static string Run(string scriptName, string stdin = "")
    {
        var modules = Environment.GetEnvironmentVariable("TOPGUN_NODE_MODULES");
        if (string.IsNullOrEmpty(modules) || !File.Exists(Path.Combine(modules, "msgpackr", "package.json")))
            throw new InvalidOperationException(Missing + $" (TOPGUN_NODE_MODULES='{modules}')");

        var psi = new ProcessStartInfo("node", [ScriptPath(scriptName)])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["TOPGUN_NODE_MODULES"] = modules;
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException("node did not start. " + Missing);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("node is not installed. " + Missing, e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
            {
                process.Kill();
                throw new TimeoutException($"node {scriptName} did not finish within a minute");
            }
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"node {scriptName} exited with {process.ExitCode}: {stderr.Result}");
            return stdout.Result;
        }
    }

    /// <summary>The script next to the test binaries when copied there, else in the source tree this file was compiled from.</summary>
    private static string ScriptPath(string scriptName, [CallerFilePath] string thisFile = "")
    {
        var copied = Path.Combine(AppContext.BaseDirectory, "js", scriptName);
        if (File.Exists(copied)) return copied;
        var source = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "js", scriptName));
        if (File.Exists(source)) return source;
        throw new FileNotFoundException($"Cross-check script {scriptName} not found in {copied} or {source}");
    }
}
