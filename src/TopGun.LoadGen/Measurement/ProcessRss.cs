using System.Globalization;

namespace TopGun.LoadGen.Measurement;

/// <summary>Resident set size of a local process, from <c>/proc/PID/status</c> (Linux).</summary>
public static class ProcessRss
{
    /// <summary>VmRSS in bytes; null when the process or the file does not exist.</summary>
    public static long? Read(int pid)
    {
        var path = $"/proc/{pid}/status";
        if (!File.Exists(path)) return null;
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
                var parts = line["VmRSS:".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[0], CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (IOException)
        {
            // The process exited while we read.
        }
        return null;
    }

    public static string Describe(long? bytes) =>
        bytes is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b / 1048576.0:F1} MB") : "n/a";
}
