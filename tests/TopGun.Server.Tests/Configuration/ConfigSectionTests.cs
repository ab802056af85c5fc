using Akka.Configuration;
using TopGun.Server.Admin;
using TopGun.Server.Configuration;
using TopGun.Server.Counters;
using TopGun.Server.Gateway;
using TopGun.Server.Locks;
using TopGun.Server.Membership;
using TopGun.Server.Replication;
using TopGun.Server.Topics;

namespace TopGun.Server.Tests.Configuration;

/// <summary>reference.conf is the only source of defaults; a key of the wrong type names itself in the error.</summary>
public sealed class ConfigSectionTests
{
    public static TheoryData<string, string, string> WrongTypedKeys() => new()
    {
        { "counters", "max-entries", "lots" },
        { "locks", "default-ttl", "soon" },
        { "replication", "backup-count", "two" },
        { "cluster.crash-downing", "enabled", "perhaps" },
        { "topics", "publish-rate", "fast" },
        { "admin", "allow-remote", "maybe" },
        { "gateway", "op-timeout", "never" },
        { "limits", "max-frame-bytes", "huge" },
        { "maps", "shard-count", "many" },
        { "coalescing", "window", "short" },
    };

    [Fact]
    public void A_config_without_topgun_keys_reads_every_section_from_reference_conf()
    {
        var bare = ConfigurationFactory.ParseString("akka.loglevel = INFO");

        Assert.Equal(64, CounterSettings.Create(bare).ShardCount);
        Assert.Equal(TimeSpan.FromSeconds(10), LockSettings.Create(bare).DefaultTtl);
        Assert.Equal(1, ReplicationSettings.FromConfig(bare).BackupCount);
        Assert.Equal(2, CrashDowningSettings.FromConfig(bare).RefusalsToDown);
        Assert.Equal(100, TopicSettings.FromConfig(bare).MaxSubscriptionsPerClient);
        Assert.False(AdminSettings.FromConfig(bare).AllowRemote);
        Assert.Equal(5000, GatewaySettings.FromConfig(bare).MaxBatchOps);
        Assert.Equal(64L * 1024 * 1024, LimitsSettings.FromConfig(bare).OutboundQueueBytes);
        Assert.Equal(TimeSpan.FromHours(1), GatewaySettings.FromConfig(bare).GcPruneInterval);
    }

    [Fact]
    public void A_key_given_in_the_config_wins_over_reference_conf_and_the_rest_of_its_section_stays()
    {
        var config = ConfigurationFactory.ParseString("topgun.counters.max-entries = 7");

        var settings = CounterSettings.Create(config);

        Assert.Equal((7, 64), (settings.MaxEntries, settings.ShardCount));
    }

    [Fact]
    public void The_built_in_defaults_are_reference_confs()
    {
        var reference = NodeConfigurationLoader.Reference;

        Assert.Equal(CounterSettings.Create(reference), CounterSettings.Default);
        Assert.Equal(LockSettings.Create(reference), LockSettings.Default);
        Assert.Equal(TopicSettings.FromConfig(reference), TopicSettings.Default);
        Assert.Equal(GatewaySettings.FromConfig(reference), GatewaySettings.Default);
    }

    [Theory]
    [MemberData(nameof(WrongTypedKeys))]
    public void A_wrong_typed_key_fails_with_its_full_name_and_value(string section, string key, string value)
    {
        var config = ConfigurationFactory.ParseString($"topgun.{section}.{key} = {value}");

        var error = Assert.Throws<TopGunConfigurationException>(() => ReadSection(section, config));

        Assert.Contains($"topgun.{section}.{key}", error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_out_of_range_fails_with_its_full_name()
    {
        var error = Assert.Throws<TopGunConfigurationException>(() => CounterSettings.Create(ConfigurationFactory.ParseString("topgun.counters.shard-count = 0")));

        Assert.Contains("topgun.counters.shard-count", error.Message, StringComparison.Ordinal);
    }

    private static object ReadSection(string section, Config config) => section switch
    {
        "counters" => CounterSettings.Create(config),
        "locks" => LockSettings.Create(config),
        "replication" => ReplicationSettings.FromConfig(config),
        "cluster.crash-downing" => CrashDowningSettings.FromConfig(config),
        "topics" => TopicSettings.FromConfig(config),
        "admin" => AdminSettings.FromConfig(config),
        "gateway" => GatewaySettings.FromConfig(config),
        "limits" => LimitsSettings.FromConfig(config),
        "maps" => Server.Maps.MapSettings.Create(TopGunSettings.FromConfig(WithNode(config)), config),
        "coalescing" => TopGunSettings.FromConfig(WithNode(config)),
        _ => throw new ArgumentOutOfRangeException(nameof(section), section, null),
    };

    private static Config WithNode(Config config) => config.WithFallback(ConfigurationFactory.ParseString("topgun { node-id = \"n1\", data-dir = \"/tmp/topgun-config-test\" }"));
}
