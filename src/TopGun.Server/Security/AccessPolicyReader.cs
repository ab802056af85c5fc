using Akka.Configuration;
using Akka.Configuration.Hocon;
using TopGun.Server.Configuration;

namespace TopGun.Server.Security;

/// <summary>
/// Reads <c>topgun.security.policies</c>: a list of <c>{ role, map, actions = [READ|PUT|REMOVE|ALL], fields? }</c>.
/// A missing key means "not configured" (the default USER-may-do-anything policy); an empty list means only
/// ADMIN may act. Mistakes fail startup with the index of the bad entry instead of silently denying or granting.
/// </summary>
internal static class AccessPolicyReader
{
    public const string Path = "topgun.security.policies";

    public static AccessControl FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!config.HasPath(Path)) return AccessControl.Default;
        var value = config.GetValue(Path);
        if (value is null) return AccessControl.Default;
        var items = ReadList(value);

        var policies = new List<AccessPolicy>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (!item.IsObject()) throw Error($"[{i}] must be an object {{ role, map, actions, fields? }}");
            var fields = item.GetObject().Items;
            var role = Required(fields, "role", i);
            var pattern = Required(fields, "map", i);
            if (pattern.IndexOf('*', StringComparison.Ordinal) is var star && star >= 0 && star != pattern.Length - 1)
                throw Error($"[{i}].map '{pattern}': '*' is only allowed at the end");
            if (!fields.TryGetValue("actions", out var actionsValue) || !actionsValue.IsArray())
                throw Error($"[{i}].actions must be a list of READ, PUT, REMOVE, ALL");
            var actions = AccessAction.None;
            foreach (var action in actionsValue.GetStringList())
                actions |= ParseAction(action, i);
            IReadOnlyList<string>? allowList = null;
            if (fields.TryGetValue("fields", out var fieldsValue) && !fieldsValue.IsEmpty)
            {
                if (!fieldsValue.IsArray()) throw Error($"[{i}].fields must be a list of field names");
                allowList = fieldsValue.GetStringList().ToArray();
            }
            policies.Add(new AccessPolicy(role, pattern, actions, allowList));
        }
        return new AccessControl(policies);
    }

    private static IList<HoconValue> ReadList(HoconValue value)
    {
        // Akka's HOCON reports an empty list as neither empty nor an array; GetArray reads it as zero items.
        if (value.IsString() || value.IsObject()) throw Error(" must be a list of { role, map, actions, fields? } objects");
        try
        {
            return value.GetArray();
        }
        catch (Exception e) when (e is not TopGunConfigurationException)
        {
            throw new TopGunConfigurationException($"{Path} must be a list of {{ role, map, actions, fields? }} objects: {e.Message}", e);
        }
    }

    private static string Required(IDictionary<string, HoconValue> fields, string name, int index)
    {
        var text = fields.TryGetValue(name, out var v) && v.IsString() ? v.GetString()?.Trim() : null;
        return string.IsNullOrEmpty(text) ? throw Error($"[{index}].{name} must be a non-empty string") : text;
    }

    private static AccessAction ParseAction(string raw, int index) => raw.Trim().ToUpperInvariant() switch
    {
        "READ" => AccessAction.Read,
        "PUT" => AccessAction.Put,
        "REMOVE" => AccessAction.Remove,
        "ALL" => AccessAction.All,
        _ => throw Error($"[{index}].actions: unknown action '{raw}' (expected READ, PUT, REMOVE or ALL)"),
    };

    private static TopGunConfigurationException Error(string message) => new($"{Path}{message}");
}
