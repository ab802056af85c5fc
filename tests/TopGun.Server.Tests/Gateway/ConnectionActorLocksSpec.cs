using Akka.Actor;
using Akka.TestKit;
using TopGun.Core.Clock;
using TopGun.Core.Protocol;
using TopGun.Server.Configuration;
using TopGun.Server.Gateway;
using TopGun.Server.Locks;
using TopGun.Server.Security;
using TopGun.Server.Tests.Support;

namespace TopGun.Server.Tests.Gateway;

/// <summary>LOCK_REQUEST / LOCK_RELEASE at one connection, with a TestKit probe standing in for the "lock" region.</summary>
public sealed class ConnectionActorLocksSpec : Akka.TestKit.Xunit2.TestKit
{
    private readonly TempDirectory _dir = new();
    private readonly TestProbe _locks;
    private readonly ConnectionDependencies _deps;
    private TestProbe _client = null!;
    private IActorRef _connection = null!;

    public ConnectionActorLocksSpec() : base("akka.loglevel = WARNING")
    {
        _locks = CreateTestProbe();
        var settings = NodeConfigurationLoader.Load(TestNode.Environment(_dir.Path, ("TOPGUN_NODE_ID", "server-node"))).Settings;
        var unused = CreateTestProbe().Ref;
        _deps = new ConnectionDependencies(settings, GatewaySettings.Default, new TokenValidator(new JwtSettings(TestTokens.Secret, TimeSpan.FromSeconds(5))),
            new Hlc("server-node"), unused, unused, unused,
            new AccessControl([new AccessPolicy("USER", "lock:team-*", AccessAction.Put)]));
        LockRegion.Get(Sys).Set(_locks.Ref, LockSettings.Default with { ResendInterval = TimeSpan.FromMilliseconds(200), ReleaseTimeout = TimeSpan.FromMilliseconds(300), MaxPendingPerClient = 2 });
        Start();
    }

    [Fact]
    public void A_request_goes_to_the_lock_with_a_clamped_ttl_and_its_grant_reaches_the_client_once()
    {
        Client(new LockRequestMessage("r1", "team-a", Ttl: 999_999_999));

        var acquire = _locks.ExpectMsg<AcquireLock>();
        Assert.Equal(new AcquireLock("team-a", "r1", 300_000, _connection), acquire);
        _locks.Reply(new LockAcquired("team-a", "r1", 7));
        _locks.Reply(new LockAcquired("team-a", "r1", 7));

        Assert.Equal(new LockGrantedMessage("r1", "team-a", 7), _client.ExpectMsg<LockGrantedMessage>());
        _client.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void A_request_without_ttl_gets_the_default_lease()
    {
        Client(new LockRequestMessage("r1", "team-a"));

        Assert.Equal(10_000, _locks.ExpectMsg<AcquireLock>().TtlMs);
    }

    [Fact]
    public void A_waiting_request_is_sent_again_until_it_is_answered()
    {
        Client(new LockRequestMessage("r1", "team-a", Ttl: 5000));

        var first = _locks.ExpectMsg<AcquireLock>();
        Assert.Equal(first, _locks.ExpectMsg<AcquireLock>(TimeSpan.FromSeconds(3)));
        _locks.Reply(new LockAcquired("team-a", "r1", 1));
        _client.ExpectMsg<LockGrantedMessage>();
        // A re-send already in flight may still arrive; after it the re-sending stops.
        _locks.ReceiveWhile(TimeSpan.FromMilliseconds(100), m => m as AcquireLock);
        _locks.ExpectNoMsg(TimeSpan.FromMilliseconds(600));
    }

    [Fact]
    public void An_empty_or_too_long_name_is_an_invalid_message()
    {
        Client(new LockRequestMessage("r1", ""));
        Assert.Equal(400, _client.ExpectMsg<ErrorMessage>().Code);
        Client(new LockReleaseMessage(new string('x', 257), 1, "r2"));
        var error = _client.ExpectMsg<ErrorMessage>();
        Assert.Equal(400, error.Code);
        Assert.Contains("longer than 256", error.Details!.ToString(), StringComparison.Ordinal);
        _locks.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_lock_outside_the_users_policies_is_denied()
    {
        Client(new LockRequestMessage("r1", "payroll"));

        var error = _client.ExpectMsg<ErrorMessage>();
        Assert.Equal(403, error.Code);
        _locks.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Waiting_requests_per_client_are_bounded()
    {
        Client(new LockRequestMessage("r1", "team-a"));
        Client(new LockRequestMessage("r2", "team-b"));
        Client(new LockRequestMessage("r3", "team-c"));

        Assert.Equal(429, _client.ExpectMsg<ErrorMessage>().Code);
    }

    [Fact]
    public void A_refused_request_is_an_error_429()
    {
        Client(new LockRequestMessage("r1", "team-a"));
        _locks.ExpectMsg<AcquireLock>();
        _locks.Reply(new LockAcquireRefused("team-a", "r1", "Too many waiters"));

        var error = _client.ExpectMsg<ErrorMessage>();
        Assert.Equal(429, error.Code);
        Assert.Equal("Too many waiters", error.Message);
    }

    [Fact]
    public void A_release_is_answered_with_the_entitys_outcome_or_false_when_it_stays_silent()
    {
        Client(new LockReleaseMessage("team-a", 3, "rel-1"));
        var release = _locks.ExpectMsg<ReleaseLock>();
        Assert.Equal(3, release.FencingToken);
        _locks.Reply(new LockReleaseResult("team-a", release.CorrelationId, true));
        Assert.Equal(new LockReleasedMessage("rel-1", "team-a", true), _client.ExpectMsg<LockReleasedMessage>());

        Client(new LockReleaseMessage("team-a", 4));
        _locks.ExpectMsg<ReleaseLock>();
        Assert.Equal(new LockReleasedMessage("", "team-a", false), _client.ExpectMsg<LockReleasedMessage>(TimeSpan.FromSeconds(3)));
    }

    private void Start()
    {
        _client = CreateTestProbe();
        _connection = Sys.ActorOf(ConnectionActor.Props("client-1", new ProbeChannel(_client.Ref), _deps));
        _client.ExpectMsg<AuthRequiredMessage>();
        Client(new AuthMessage(TestTokens.Valid()));
        _client.ExpectMsg<AuthAckMessage>();
    }

    private void Client(Message message) => _connection.Tell(new ConnectionCommands.InboundFrame(message));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _dir.Dispose();
    }
}
