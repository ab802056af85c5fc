using System.Net;
using TopGun.Server.Admin;

namespace TopGun.Server.Tests.Admin;

/// <summary>The decision behind the 403 of <c>/admin/*</c>, for peer addresses no test machine has to own.</summary>
public sealed class AdminAccessTests
{
    private static readonly AdminSettings LoopbackOnly = new(AllowRemote: false);
    private static readonly AdminSettings OpenToRemote = new(AllowRemote: true);

    [Theory]
    [InlineData("10.0.0.5")]
    [InlineData("192.168.1.20")]
    [InlineData("203.0.113.7")]
    [InlineData("0.0.0.0")]
    [InlineData("2001:db8::1")]
    [InlineData("fe80::1")]
    [InlineData("::")]
    [InlineData("::ffff:10.0.0.5")]
    [InlineData("::ffff:192.168.1.20")]
    public void A_remote_caller_is_refused_while_allow_remote_is_off(string address)
    {
        Assert.False(AdminAccess.IsAllowed(IPAddress.Parse(address), LoopbackOnly));
    }

    [Theory]
    [InlineData("10.0.0.5")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:192.168.1.20")]
    public void A_remote_caller_is_let_through_once_allow_remote_is_on(string address)
    {
        Assert.True(AdminAccess.IsAllowed(IPAddress.Parse(address), OpenToRemote));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.2")]
    [InlineData("127.255.255.254")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:127.1.2.3")]
    public void A_loopback_caller_is_let_through_whatever_allow_remote_says(string address)
    {
        Assert.True(AdminAccess.IsAllowed(IPAddress.Parse(address), LoopbackOnly));
        Assert.True(AdminAccess.IsAllowed(IPAddress.Parse(address), OpenToRemote));
    }

    [Fact]
    public void A_caller_without_a_peer_address_is_refused_while_allow_remote_is_off()
    {
        Assert.False(AdminAccess.IsAllowed(null, LoopbackOnly));
        Assert.True(AdminAccess.IsAllowed(null, OpenToRemote));
    }

    [Fact]
    public void Allow_remote_is_off_unless_the_configuration_turns_it_on()
    {
        Assert.False(AdminSettings.FromConfig(Akka.Configuration.ConfigurationFactory.Empty).AllowRemote);
        Assert.False(AdminSettings.FromConfig(TopGun.Server.Configuration.NodeConfigurationLoader.Reference).AllowRemote);
        Assert.True(AdminSettings.FromConfig(Akka.Configuration.ConfigurationFactory.ParseString("topgun.admin.allow-remote = on")).AllowRemote);
    }
}
