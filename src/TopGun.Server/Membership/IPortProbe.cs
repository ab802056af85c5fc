namespace TopGun.Server.Membership;

/// <summary>One TCP connection attempt; never throws.</summary>
internal interface IPortProbe
{
    Task<PortState> ProbeAsync(string host, int port, TimeSpan timeout);
}
