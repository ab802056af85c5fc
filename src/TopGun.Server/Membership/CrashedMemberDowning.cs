using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Remote;

namespace TopGun.Server.Membership;

/// <summary>
/// Downs a member at once when its cluster port refuses TCP connections, instead of leaving it to the split-brain
/// resolver's stable-after. A refusal is a reset from the member's host: the host is up and nothing listens on the
/// port, so the process crashed or was killed. A paused process (GC, VM steal) still has its kernel accepting
/// connections, and a partition shows as timeouts, so neither can be mistaken for a crash; those stay with the
/// resolver. Every node runs one of these; the first Down wins and the rest are no-ops.
/// </summary>
internal sealed class CrashedMemberDowning : ReceiveActor, IWithTimers
{
    public const string Name = "topgun-crash-downing";

    private const string ProbeTimer = "probe";
    private readonly CrashDowningSettings _settings;
    private readonly IMembershipView _membership;
    private readonly IPortProbe _probe;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<Address, int> _refusals = [];
    private readonly HashSet<Address> _probing = [];

    public CrashedMemberDowning(CrashDowningSettings settings, IMembershipView membership, IPortProbe probe)
    {
        _settings = settings;
        _membership = membership;
        _probe = probe;
        Receive<DisassociatedEvent>(e => Suspect(e.RemoteAddress));
        Receive<ClusterEvent.UnreachableMember>(e => Suspect(e.Member.Address));
        Receive<ProbeDue>(_ => ProbeSuspects());
        Receive<Probed>(OnProbed);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(CrashDowningSettings settings, IMembershipView membership, IPortProbe probe) =>
        Akka.Actor.Props.Create(() => new CrashedMemberDowning(settings, membership, probe));

    protected override void PreStart() => _membership.Subscribe(Self);

    protected override void PostStop() => _membership.Unsubscribe(Self);

    private void Suspect(Address address)
    {
        if (_refusals.ContainsKey(address) || !IsDownable(address) || !IsActive(_membership.StatusOf(_membership.SelfAddress))) return;
        _refusals[address] = 0;
        _log.Debug("Probing the cluster port of {0}: its connection closed or it became unreachable", address);
        Probe(address);
        if (!Timers.IsTimerActive(ProbeTimer)) Timers.StartPeriodicTimer(ProbeTimer, ProbeDue.Instance, _settings.ProbeInterval);
    }

    private void ProbeSuspects()
    {
        foreach (var address in _refusals.Keys.Where(a => !_probing.Contains(a)).ToArray()) Probe(address);
    }

    private void Probe(Address address)
    {
        if (address.Host is null || address.Port is null)
        {
            Forget(address);
            return;
        }
        _probing.Add(address);
        _probe.ProbeAsync(address.Host, address.Port.Value, _settings.ConnectTimeout)
            .PipeTo(Self, success: state => new Probed(address, state), failure: _ => new Probed(address, PortState.Unknown));
    }

    private void OnProbed(Probed probed)
    {
        var address = probed.Address;
        _probing.Remove(address);
        if (!_refusals.TryGetValue(address, out var refusals)) return;
        if (!IsDownable(address))
        {
            Forget(address);
            return;
        }

        if (probed.State == PortState.Refused)
        {
            refusals++;
            if (refusals < _settings.RefusalsToDown)
            {
                _refusals[address] = refusals;
                return;
            }
            _log.Warning(
                "Downing {0}: its cluster port refused {1} connections in a row, so its process is gone (crash, kill or OOM) while its host is up. " +
                "Not waiting for the split-brain resolver; its partitions move to the surviving nodes.", address, refusals);
            _membership.Down(address);
            Forget(address);
            return;
        }

        // Alive or unknown: keep watching only while the failure detector still calls it unreachable.
        _refusals[address] = 0;
        if (!_membership.IsUnreachable(address)) Forget(address);
    }

    private void Forget(Address address)
    {
        _refusals.Remove(address);
        if (_refusals.Count == 0) Timers.Cancel(ProbeTimer);
    }

    private bool IsDownable(Address address) => address != _membership.SelfAddress && IsActive(_membership.StatusOf(address));

    // Leaving and exiting members close their ports on purpose; downed and removed ones are already handled.
    private static bool IsActive(MemberStatus? status) => status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining;

    private sealed class ProbeDue
    {
        public static readonly ProbeDue Instance = new();
    }

    private sealed record Probed(Address Address, PortState State);
}
