using Akka.Actor;

namespace TopGun.Server.Modules;

/// <summary>
/// A node-wide extension that a feature starts once per node (shard regions, a router) before the node reports
/// ready; <see cref="FeatureStartup{TFeature}"/> runs it as an <see cref="INodeStartupStep"/>.
/// </summary>
internal interface INodeFeature : IExtension
{
    /// <summary>Idempotent: a second call leaves what the first one started.</summary>
    Task StartAsync(ActorSystem system);
}

/// <summary>The node's one instance of an extension type that has a parameterless constructor.</summary>
internal static class NodeExtension
{
    public static T Get<T>(ActorSystem system) where T : class, IExtension, new()
    {
        ArgumentNullException.ThrowIfNull(system);
        return system.WithExtension<T, NodeExtensionProvider<T>>();
    }
}

internal sealed class NodeExtensionProvider<T> : ExtensionIdProvider<T> where T : class, IExtension, new()
{
    public override T CreateExtension(ExtendedActorSystem system) => new();
}

/// <summary>Node startup step that starts <typeparamref name="TFeature"/>; register one per feature.</summary>
internal sealed class FeatureStartup<TFeature> : INodeStartupStep where TFeature : class, INodeFeature, new()
{
    public Task RunAsync(ActorSystem system, CancellationToken cancellationToken) =>
        NodeExtension.Get<TFeature>(system).StartAsync(system).WaitAsync(cancellationToken);
}
