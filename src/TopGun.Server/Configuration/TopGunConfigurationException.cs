namespace TopGun.Server.Configuration;

/// <summary>A configuration the node must not start with; the message is meant for the operator.</summary>
public sealed class TopGunConfigurationException : Exception
{
    public TopGunConfigurationException(string message) : base(message) { }

    public TopGunConfigurationException(string message, Exception inner) : base(message, inner) { }
}
