using Akka.Actor;
using TopGun.Server.Modules;

namespace TopGun.Server.Security;

/// <summary>Node startup step: states the enforced access policies once, at startup, before any client connects.</summary>
internal sealed class AccessPolicyStartupLog(AccessControl access, ILoggerFactory loggers) : INodeStartupStep
{
    public Task RunAsync(ActorSystem system, CancellationToken cancellationToken)
    {
        AccessPolicyLog.Write(loggers.CreateLogger<AccessControl>(), access);
        return Task.CompletedTask;
    }
}
