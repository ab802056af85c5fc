using Akka.Actor;

namespace TopGun.Server.Modules;

/// <summary>
/// A node-wide extension that publishes one feature's entry actor (a shard region or a router) and its settings
/// once the feature's startup step has run. Connections look the feature up here rather than in their
/// dependencies, so each feature stays in its own module; actor specs put a probe in with <see cref="Set"/>.
/// </summary>
internal abstract class FeatureHandle<TSettings>(TSettings defaults) : IExtension where TSettings : class
{
    private IActorRef? _actor;
    private TSettings _settings = defaults;

    public bool IsStarted => Volatile.Read(ref _actor) is not null;

    /// <summary>Null until started (connections then answer the feature's messages with ERROR 503).</summary>
    protected IActorRef? Actor => Volatile.Read(ref _actor);

    public TSettings Settings => Volatile.Read(ref _settings);

    public void Set(IActorRef actor, TSettings settings)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(settings);
        Volatile.Write(ref _settings, settings);
        Volatile.Write(ref _actor, actor);
    }
}
