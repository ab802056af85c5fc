using Akka.Actor;
using Akka.Cluster;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using TopGun.Server.Configuration;
using TopGun.Server.Readiness;
using TopGun.Server.Storage;
using TopGun.Server.Modules;

namespace TopGun.Server.Node;

/// <summary>
/// Owns the node's ActorSystem inside the ASP.NET Core host. Registered before the web server, so it
/// starts first and stops after Kestrel has stopped accepting connections.
/// </summary>
internal sealed class ActorSystemService : IHostedService
{
    private readonly NodeConfiguration _node;
    private readonly ReadinessState _readiness;
    private readonly IEnumerable<INodeStartupStep> _startupSteps;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly IServer _server;
    private readonly ILogger<ActorSystemService> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private ActorSystem? _system;
    private Task _readinessLoop = Task.CompletedTask;
    private long _probes;

    public ActorSystemService(
        NodeConfiguration node,
        ReadinessState readiness,
        IEnumerable<INodeStartupStep> startupSteps,
        IHostApplicationLifetime lifetime,
        IServer server,
        ILogger<ActorSystemService> logger)
    {
        _node = node;
        _readiness = readiness;
        _startupSteps = startupSteps;
        _lifetime = lifetime;
        _server = server;
        _logger = logger;
    }

    /// <summary>Why the node stopped itself (startup step failed, system terminated on its own); null otherwise.</summary>
    public string? Failure { get; private set; }

    /// <summary>The running system; throws before <see cref="StartAsync"/>.</summary>
    public ActorSystem System => _system ?? throw new InvalidOperationException("The ActorSystem has not been started yet.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = _node.Settings;
        _logger.LogInformation(
            "TopGun node {NodeId} starting: storage {Storage}, data dir {DataDir}, ack {Ack}, cluster {Host}:{ClusterPort}, seeds {Seeds}",
            settings.NodeId, StorageConfigBuilder.Describe(settings), settings.DataDir, settings.Ack.ToString().ToLowerInvariant(),
            settings.Cluster.Hostname, settings.Cluster.Port,
            settings.Cluster.JoinsSelf ? "none (joins itself)" : string.Join(",", AkkaConfigBuilder.SeedAddresses(settings.Cluster)));
        if (settings.Jwt.IsDevelopmentSecret)
        {
            _logger.LogWarning(
                "!!! INSECURE: using the built-in development JWT secret. Anyone can mint tokens for this node. " +
                "Set TOPGUN_JWT_SECRET (a strong secret or an RS256 PEM public key) before exposing it; TOPGUN_ENV=production refuses to start like this. !!!");
        }

        if (ListsOnlyItselfAsSeed(settings.Cluster))
        {
            _logger.LogWarning(
                "TOPGUN_SEED_NODES lists only this node. It forms a cluster of its own whenever it starts, so after a restart it will not rejoin " +
                "the other nodes but run a second cluster on the same journal. In a multi-node cluster list two or three seeds on every node (docs/deploy.md).");
        }

        await StorageBootstrap.PrepareAsync(settings, cancellationToken).ConfigureAwait(false);

        var system = ActorSystem.Create(settings.Cluster.SystemName, AkkaConfigBuilder.Build(_node));
        _system = system;
        _readiness.MarkActorSystemStarted();

        var cluster = Cluster.Get(system);
        cluster.RegisterOnMemberUp(_readiness.MarkMemberUp);
        if (settings.Cluster.JoinsSelf) cluster.Join(cluster.SelfAddress);

        // A system that dies on its own (e.g. downed by the split-brain resolver) takes the process with it.
        _ = system.WhenTerminated.ContinueWith(
            _ =>
            {
                if (!_stopping.IsCancellationRequested)
                    Fail("The ActorSystem terminated unexpectedly", null);
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        _readinessLoop = Task.Run(() => BecomeReadyOrFailAsync(system, _stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_system is null) return;
        _logger.LogInformation("TopGun node {NodeId} stopping: leaving the cluster and closing the journal.", _node.Settings.NodeId);
        await CoordinatedShutdown.Get(_system).Run(CoordinatedShutdown.ClrExitReason.Instance).ConfigureAwait(false);
        await _readinessLoop.ConfigureAwait(false);
    }

    private static bool ListsOnlyItselfAsSeed(Configuration.ClusterSettings cluster)
    {
        var self = $"akka.tcp://{cluster.SystemName}@{cluster.Hostname}:{cluster.Port}";
        var seeds = AkkaConfigBuilder.SeedAddresses(cluster);
        return seeds.Count > 0 && seeds.All(s => string.Equals(s.TrimEnd('/'), self, StringComparison.OrdinalIgnoreCase));
    }

    private async Task BecomeReadyOrFailAsync(ActorSystem system, CancellationToken cancellationToken)
    {
        var phase = "The node could not become ready";
        try
        {
            await BecomeReadyAsync(system, cancellationToken).ConfigureAwait(false);
            phase = "Probing the journal failed unexpectedly";
            await MonitorJournalAsync(system, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped (before the node became ready, or while it probes its journal); whatever was in flight no longer matters.
        }
        catch (Exception e)
        {
            Fail(phase, e);
        }
    }

    private void Fail(string reason, Exception? cause)
    {
        Failure ??= cause is null ? reason : $"{reason}: {cause.Message}";
        _logger.LogCritical(cause, "{Reason}; stopping the node.", reason);
        _lifetime.StopApplication();
    }

    private async Task BecomeReadyAsync(ActorSystem system, CancellationToken cancellationToken)
    {
        foreach (var step in _startupSteps)
            await step.RunAsync(system, cancellationToken).ConfigureAwait(false);
        _readiness.MarkStartupStepsDone();

        await ProbeJournalAsync(system, cancellationToken).ConfigureAwait(false);

        var serverStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (_lifetime.ApplicationStarted.Register(() => serverStarted.TrySetResult()))
        {
            await serverStarted.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        await _readiness.WhenReady.WaitAsync(cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("TopGun ready on ws://{Host}:{Port}", _node.Settings.Host, BoundPort());
    }

    private async Task ProbeJournalAsync(ActorSystem system, CancellationToken cancellationToken)
    {
        var readiness = _node.Settings.Readiness;
        while (true)
        {
            var failure = await ProbeOnceAsync(system, cancellationToken).ConfigureAwait(false);
            if (failure is null)
            {
                _readiness.MarkJournalAnswered();
                return;
            }
            _logger.LogWarning("Journal probe {Attempt} failed: {Reason}; retrying. Check the database ({Storage}).",
                _probes, failure, StorageConfigBuilder.Describe(_node.Settings));
            await Task.Delay(readiness.ProbeRetryInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Once ready, probes the journal every <c>readiness.probe-interval</c> for as long as the node runs: a failed
    /// probe makes /ready answer 503 and connections refuse writes with ERROR 503, the next success undoes both.
    /// Only changes are logged, so an outage is two lines however long it lasts.
    /// </summary>
    private async Task MonitorJournalAsync(ActorSystem system, CancellationToken cancellationToken)
    {
        var readiness = _node.Settings.Readiness;
        var failingSince = DateTimeOffset.MinValue;
        while (true)
        {
            await Task.Delay(readiness.ProbeInterval, cancellationToken).ConfigureAwait(false);
            var failure = await ProbeOnceAsync(system, cancellationToken).ConfigureAwait(false);
            if (failure is null)
            {
                if (_readiness.MarkJournalAnswered())
                    _logger.LogInformation("Journal answers again after {Seconds:F1} s; /ready answers 200 and writes are accepted again.",
                        (DateTimeOffset.UtcNow - failingSince).TotalSeconds);
            }
            else if (_readiness.MarkJournalFailed(failure))
            {
                failingSince = DateTimeOffset.UtcNow;
                _logger.LogError("Journal probe failed: {Reason}. /ready answers 503 and writes are refused with ERROR 503 until the journal answers again; check the database ({Storage}).",
                    failure, StorageConfigBuilder.Describe(_node.Settings));
            }
        }
    }

    /// <summary>One probe: null when the journal recovered and wrote the probe's event in time, else why not.</summary>
    private async Task<string?> ProbeOnceAsync(ActorSystem system, CancellationToken cancellationToken)
    {
        var timeout = _node.Settings.Readiness.ProbeTimeout;
        var failed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = system.ActorOf(JournalProbe.Props(_node.Settings.NodeId, reason => failed.TrySetResult(reason)), $"journal-probe-{++_probes}");
        try
        {
            var succeeded = probe.Ask<JournalProbe.Succeeded>(JournalProbe.Run.Instance, timeout, cancellationToken);
            if (await Task.WhenAny(succeeded, failed.Task).ConfigureAwait(false) == failed.Task) return failed.Task.Result;
            await succeeded.ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {timeout.TotalSeconds:0.#} s";
        }
        finally
        {
            system.Stop(probe);
        }
    }

    private int BoundPort()
    {
        var address = _server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return address is not null && Uri.TryCreate(address, UriKind.Absolute, out var uri) ? uri.Port : _node.Settings.Port;
    }
}
