using Akka.Configuration;

namespace TopGun.Server.Configuration;

/// <summary>
/// Typed reads of one config section (with reference.conf beneath it, see <see cref="TopGunConfig.Section"/>).
/// A key of the wrong type or out of range fails with a <see cref="TopGunConfigurationException"/> that names the
/// full key and the value found, so an operator sees which line of their file to fix.
/// </summary>
public sealed class ConfigSection
{
    private readonly Config _config;

    internal ConfigSection(string path, Config config)
    {
        Path = path;
        _config = config;
    }

    /// <summary>The section's full path, e.g. <c>topgun.counters</c>.</summary>
    public string Path { get; }

    public ConfigSection Section(string key) =>
        new(Name(key), _config.GetConfig(key) ?? throw new TopGunConfigurationException($"reference.conf has no section '{Name(key)}'."));

    public string String(string key) => Read(key, "a string", static (c, k) => c.GetString(k) ?? "");

    public IReadOnlyList<string> StringList(string key) => Read(key, "a list of strings", static (c, k) => (IReadOnlyList<string>)c.GetStringList(k).ToArray());

    public bool Bool(string key) => Read(key, "on or off", static (c, k) => c.GetBoolean(k));

    public int Int(string key) => Read(key, "a whole number", static (c, k) => c.GetInt(k));

    public double Double(string key) => Read(key, "a number", static (c, k) => c.GetDouble(k));

    public TimeSpan Duration(string key) => Read(key, "a duration (e.g. 10s, 250ms)", static (c, k) => c.GetTimeSpan(k));

    public long Bytes(string key) => Read(key, "a size (e.g. 64MiB, 262144)", static (c, k) => c.GetByteSize(k) ?? throw new FormatException("not a size"));

    public int PositiveInt(string key) => Positive(key, Int(key));

    public TimeSpan PositiveDuration(string key)
    {
        var value = Duration(key);
        return value > TimeSpan.Zero ? value : throw Invalid(key, "must be positive", value);
    }

    public long PositiveBytes(string key)
    {
        var value = Bytes(key);
        return value > 0 ? value : throw Invalid(key, "must be a positive size (e.g. 64MiB)", value);
    }

    /// <summary>The exception for a value that parsed but breaks a rule: "topgun.x.key {rule}, got {value}."</summary>
    public TopGunConfigurationException Invalid(string key, string rule, object? value) => new($"{Name(key)} {rule}, got {value}.");

    /// <summary>The full path of <paramref name="key"/> in this section.</summary>
    public string Name(string key) => Path + "." + key;

    private int Positive(string key, int value) => value > 0 ? value : throw Invalid(key, "must be positive", value);

    private T Read<T>(string key, string expected, Func<Config, string, T> read)
    {
        if (!_config.HasPath(key))
            throw new TopGunConfigurationException($"{Name(key)} is missing; reference.conf defines it, so the config was read without TopGunConfig.WithDefaults.");
        try
        {
            return read(_config, key);
        }
        catch (Exception e) when (e is not TopGunConfigurationException)
        {
            throw new TopGunConfigurationException($"{Name(key)} must be {expected}, got '{RawValue(key)}'.", e);
        }
    }

    private string RawValue(string key)
    {
        try
        {
            return _config.GetValue(key)?.ToString() ?? "";
        }
        catch (Exception)
        {
            return "?";
        }
    }
}
