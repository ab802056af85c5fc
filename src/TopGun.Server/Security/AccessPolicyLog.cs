namespace TopGun.Server.Security;

/// <summary>Tells the operator which access policies a node enforces, so an open default is never a surprise.</summary>
internal static class AccessPolicyLog
{
    public static void Write(ILogger logger, AccessControl access)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(access);
        if (access.IsDefault)
            logger.LogWarning("No topgun.security.policies configured: running with the default policy USER * ALL (every authenticated USER may read and write every map except $sys/*).");
        else if (access.Policies.Count == 0)
            logger.LogWarning("topgun.security.policies is empty: only ADMIN may act.");
        else
            logger.LogInformation("Access policies: {Policies}", access.ToString());
    }
}
