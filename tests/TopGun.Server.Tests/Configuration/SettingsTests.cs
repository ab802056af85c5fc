using Akka.Configuration;
using TopGun.Server.Configuration;
using TopGun.Server.Tests.Support;
using TopGun.Server.Node;

namespace TopGun.Server.Tests.Configuration;

public sealed class SettingsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void Reference_defaults_give_the_documented_settings()
    {
        var settings = NodeConfigurationLoader.Load(new Dictionary<string, string?> { ["TOPGUN_DATA_DIR"] = _dir.Path }).Settings;

        Assert.False(settings.IsProduction);
        Assert.Equal("127.0.0.1", settings.Host);
        Assert.Equal(8080, settings.Port);
        Assert.Equal(AckMode.Persisted, settings.Ack);
        Assert.Equal(16, settings.PartitionCount);
        Assert.Equal(StorageKind.Sqlite, settings.Storage.Kind);
        Assert.Equal(Path.Combine(_dir.Path, "topgun.db"), settings.SqlitePath);
        Assert.Equal(4053, settings.Cluster.Port);
        Assert.True(settings.Cluster.JoinsSelf);
        Assert.Equal(16L * 1024 * 1024, settings.Limits.MaxFrameBytes);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.Limits.AuthTimeout);
        Assert.Equal(TimeSpan.FromSeconds(20), settings.Limits.IdleTimeout);
        Assert.Equal(new CoalescingSettings(TimeSpan.FromMilliseconds(2), 500, 256 * 1024), settings.Coalescing);
        Assert.Equal(TimeSpan.FromDays(30), settings.TombstoneGcAge);
        Assert.Equal(new HlcSettings(TimeSpan.FromSeconds(60), false), settings.Hlc);
        Assert.True(settings.Jwt.IsDevelopmentSecret);
    }

    [Fact]
    public void Environment_variables_override_the_file_which_overrides_reference_conf()
    {
        var file = Path.Combine(_dir.Path, "node.conf");
        File.WriteAllText(file, """
            topgun {
              host = "10.0.0.1"
              port = 9000
              ack = memory
              partition-count = 256
              limits.max-frame-bytes = 1MiB
              coalescing.window = 5ms
              hlc.strict = on
            }
            """);
        var env = new Dictionary<string, string?>
        {
            ["TOPGUN_DATA_DIR"] = _dir.Path,
            ["TOPGUN_CONFIG"] = file,
            ["TOPGUN_PORT"] = "9100",
            ["TOPGUN_NODE_ID"] = "node-7",
            ["TOPGUN_SEED_NODES"] = "10.0.0.2:4053, akka.tcp://topgun@10.0.0.3:4053",
            ["TOPGUN_CLUSTER_PORT"] = "0",
            ["TOPGUN_STORAGE"] = "postgres",
            ["TOPGUN_POSTGRES"] = "Host=db;Username=topgun;Database=topgun",
        };

        var settings = NodeConfigurationLoader.Load(env).Settings;

        Assert.Equal("10.0.0.1", settings.Host);
        Assert.Equal(9100, settings.Port);
        Assert.Equal(AckMode.Memory, settings.Ack);
        Assert.Equal(256, settings.PartitionCount);
        Assert.Equal(1024 * 1024, settings.Limits.MaxFrameBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(5), settings.Coalescing.Window);
        Assert.True(settings.Hlc.Strict);
        Assert.Equal("node-7", settings.NodeId);
        Assert.Equal(0, settings.Cluster.Port);
        Assert.Equal(
            ["akka.tcp://topgun@10.0.0.2:4053", "akka.tcp://topgun@10.0.0.3:4053"],
            Server.Node.AkkaConfigBuilder.SeedAddresses(settings.Cluster));
    }

    [Fact]
    public void A_postgres_connection_string_alone_selects_postgres_storage()
    {
        var settings = NodeConfigurationLoader.Load(new Dictionary<string, string?>
        {
            ["TOPGUN_DATA_DIR"] = _dir.Path,
            ["TOPGUN_POSTGRES"] = "Host=db;Username=u;Password=p\"q;Database=d",
        }).Settings;

        Assert.Equal(StorageKind.Postgres, settings.Storage.Kind);
        Assert.Equal("Host=db;Username=u;Password=p\"q;Database=d", settings.Storage.PostgresConnectionString);
    }

    [Fact]
    public void Postgres_storage_without_a_connection_string_is_refused()
    {
        var error = Assert.Throws<TopGunConfigurationException>(() => NodeConfigurationLoader.Load(new Dictionary<string, string?>
        {
            ["TOPGUN_DATA_DIR"] = _dir.Path,
            ["TOPGUN_STORAGE"] = "postgres",
        }));

        Assert.Contains("TOPGUN_POSTGRES", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_node_id_is_persisted_and_reused_after_a_restart()
    {
        var env = new Dictionary<string, string?> { ["TOPGUN_DATA_DIR"] = _dir.Path };

        var first = NodeConfigurationLoader.Load(env).Settings.NodeId;
        var second = NodeConfigurationLoader.Load(env).Settings.NodeId;

        Assert.Equal(first, second);
        Assert.Equal(first, File.ReadAllText(Path.Combine(_dir.Path, NodeIdentity.FileName)).Trim());
        Assert.True(Core.Clock.NodeId.IsValid(first, out _));
    }

    [Theory]
    [InlineData("Node-1")]
    [InlineData("a:b")]
    [InlineData("has space")]
    public void Invalid_node_ids_are_refused(string id)
    {
        Assert.Throws<TopGunConfigurationException>(() => NodeConfigurationLoader.Load(new Dictionary<string, string?>
        {
            ["TOPGUN_DATA_DIR"] = _dir.Path,
            ["TOPGUN_NODE_ID"] = id,
        }));
    }

    [Theory]
    [InlineData("TOPGUN_PORT", "70000")]
    [InlineData("TOPGUN_PORT", "http")]
    [InlineData("TOPGUN_STORAGE", "mongodb")]
    [InlineData("TOPGUN_ACK", "eventually")]
    public void Malformed_values_are_refused_with_the_variable_named(string variable, string value)
    {
        var error = Assert.Throws<TopGunConfigurationException>(() => NodeConfigurationLoader.Load(new Dictionary<string, string?>
        {
            ["TOPGUN_DATA_DIR"] = _dir.Path,
            [variable] = value,
        }));

        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Production_refuses_the_development_secret()
    {
        var error = Assert.Throws<TopGunConfigurationException>(() => NodeConfigurationLoader.Load(new Dictionary<string, string?>
        {
            ["TOPGUN_DATA_DIR"] = _dir.Path,
            ["TOPGUN_ENV"] = "production",
        }));

        Assert.Contains("TOPGUN_JWT_SECRET", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Production_refuses_an_explicitly_configured_development_secret()
    {
        Assert.Throws<TopGunConfigurationException>(() => NodeConfigurationLoader.Load(new Dictionary<string, string?>
        {
            ["TOPGUN_DATA_DIR"] = _dir.Path,
            ["TOPGUN_ENV"] = "production",
            ["TOPGUN_JWT_SECRET"] = JwtSettings.DevelopmentSecret,
        }));
    }

    [Fact]
    public void Production_accepts_a_real_secret()
    {
        var settings = NodeConfigurationLoader.Load(new Dictionary<string, string?>
        {
            ["TOPGUN_DATA_DIR"] = _dir.Path,
            ["TOPGUN_ENV"] = "production",
            ["TOPGUN_JWT_SECRET"] = "a-long-random-production-secret-0123456789",
        }).Settings;

        Assert.True(settings.IsProduction);
        Assert.False(settings.Jwt.IsPublicKey);
    }

    [Fact]
    public void A_secret_naming_a_pem_file_is_read_as_an_rs256_public_key()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var pemPath = Path.Combine(_dir.Path, "jwt.pem");
        File.WriteAllText(pemPath, rsa.ExportSubjectPublicKeyInfoPem());

        var settings = NodeConfigurationLoader.Load(new Dictionary<string, string?>
        {
            ["TOPGUN_DATA_DIR"] = _dir.Path,
            ["TOPGUN_ENV"] = "production",
            ["TOPGUN_JWT_SECRET"] = pemPath,
        }).Settings;

        Assert.True(settings.Jwt.IsPublicKey);
        Assert.Contains("-----BEGIN PUBLIC KEY-----", settings.Jwt.Secret, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_can_be_read_from_plain_hocon()
    {
        var config = ConfigurationFactory.ParseString("""
            topgun { node-id = "x1", data-dir = "/tmp/x", port = 1234, snapshot-every = 50 }
            """).WithFallback(NodeConfigurationLoader.Reference);

        var settings = TopGunSettings.FromConfig(config);

        Assert.Equal("x1", settings.NodeId);
        Assert.Equal(1234, settings.Port);
        Assert.Equal(50, settings.SnapshotEvery);
        Assert.Equal(8081, settings.WithPort(8081).Port);
    }

    public void Dispose() => _dir.Dispose();
}
