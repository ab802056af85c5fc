using System.Data.Common;

namespace TopGun.Server.Storage;

internal static class ConnectionStrings
{
    private static readonly string[] SecretKeys = ["password", "pwd"];

    /// <summary>The connection string with any password replaced, for logs and startup lines.</summary>
    public static string Redact(string connectionString)
    {
        try
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
            foreach (var key in builder.Keys.Cast<string>().ToArray())
            {
                if (SecretKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
                    builder[key] = "***";
            }
            return builder.ConnectionString;
        }
        catch (ArgumentException)
        {
            // Unparseable: show nothing rather than risk echoing a secret.
            return "<unparseable connection string>";
        }
    }
}
