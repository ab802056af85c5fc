using Akka.Actor;
using TopGun.Server.Modules;

namespace TopGun.Server.Membership;

/// <summary>Node startup step: starts <see cref="CrashedMemberDowning"/> unless <c>topgun.cluster.crash-downing.enabled = off</c>.</summary>
internal sealed class CrashedMemberDowningStartup : INodeStartupStep
{
    public Task RunAsync(ActorSystem system, CancellationToken cancellationToken)
    {
        var settings = CrashDowningSettings.FromConfig(system.Settings.Config);
        if (settings.Enabled)
            system.ActorOf(CrashedMemberDowning.Props(settings, new ClusterMembershipView(system), TcpPortProbe.Instance), CrashedMemberDowning.Name);
        return Task.CompletedTask;
    }
}
