using System.Collections;
using System.Reflection;
using Akka.Actor;
using TopGun.Core.Queries;
using TopGun.Core.Values;

namespace TopGun.Server.Tests.Compatibility;

/// <summary>
/// Field-by-field comparison of decoded messages: records holding lists compare those lists by reference, so
/// <c>Equals</c> alone would call every decoded message different (or, with a shared instance, equal by accident).
/// Walks public properties, lists in order, dictionaries by key; actor refs compare by serialized path (with uid).
/// </summary>
public static class StructuralEquality
{
    public static void AssertEqual(object? expected, object? actual, string path = "$")
    {
        var difference = FindDifference(expected, actual, path, 0);
        Assert.True(difference is null, difference);
    }

    public static string? FindDifference(object? expected, object? actual, string path, int depth)
    {
        if (depth > 32) return $"{path}: nested too deep to compare";
        if (expected is null || actual is null)
            return expected is null && actual is null ? null : $"{path}: expected {Show(expected)}, got {Show(actual)}";

        if (expected is IActorRef expectedRef)
        {
            if (actual is not IActorRef actualRef) return $"{path}: expected an actor ref, got {actual.GetType().Name}";
            var e = Akka.Serialization.Serialization.SerializedActorPath(expectedRef);
            var a = Akka.Serialization.Serialization.SerializedActorPath(actualRef);
            return e == a ? null : $"{path}: expected actor {e}, got {a}";
        }

        var type = expected.GetType();
        if (IsStreamRef(type))
        {
            if (actual.GetType() != type) return $"{path}: expected {type.Name}, got {actual.GetType().Name}";
            return FindDifference(PartnerRef(expected), PartnerRef(actual), path + ".partner", depth + 1);
        }

        // Collections compare by content: a decoder may well return an array where the sample held a list.
        if (expected is not IEnumerable && actual.GetType() != type) return $"{path}: expected type {type.FullName}, got {actual.GetType().FullName}";

        if (IsLeaf(type)) return Equals(expected, actual) ? null : $"{path}: expected {Show(expected)}, got {Show(actual)}";

        if (expected is QuerySpec expectedSpec)
        {
            var actualSpec = (QuerySpec)actual;
            return FindDifference(
                (expectedSpec.CanonicalText, expectedSpec.Fingerprint, expectedSpec.Limit, expectedSpec.Cursor),
                (actualSpec.CanonicalText, actualSpec.Fingerprint, actualSpec.Limit, actualSpec.Cursor), path, depth + 1);
        }

        if (expected is IDictionary expectedDictionary)
        {
            if (actual is not IDictionary actualDictionary) return $"{path}: expected a dictionary, got {actual.GetType().Name}";
            if (expectedDictionary.Count != actualDictionary.Count)
                return $"{path}: expected {expectedDictionary.Count} entries, got {actualDictionary.Count}";
            foreach (DictionaryEntry entry in expectedDictionary)
            {
                if (!actualDictionary.Contains(entry.Key)) return $"{path}: key {Show(entry.Key)} is missing";
                var d = FindDifference(entry.Value, actualDictionary[entry.Key], $"{path}[{Show(entry.Key)}]", depth + 1);
                if (d is not null) return d;
            }
            return null;
        }

        if (expected is IEnumerable expectedItems and not string)
        {
            var e = expectedItems.Cast<object?>().ToList();
            if (actual is not IEnumerable actualItems || actual is string) return $"{path}: expected a collection, got {actual.GetType().Name}";
            var a = actualItems.Cast<object?>().ToList();
            if (e.Count != a.Count) return $"{path}: expected {e.Count} items, got {a.Count}";
            for (var i = 0; i < e.Count; i++)
            {
                var d = FindDifference(e[i], a[i], $"{path}[{i}]", depth + 1);
                if (d is not null) return d;
            }
            return null;
        }

        var members = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
            .Select(p => (p.Name, Get: (Func<object, object?>)p.GetValue))
            .Concat(type.GetFields(BindingFlags.Public | BindingFlags.Instance).Select(f => (f.Name, Get: (Func<object, object?>)f.GetValue)))
            .ToList();
        if (members.Count == 0) return Equals(expected, actual) ? null : $"{path}: {type.Name} instances differ";
        foreach (var (name, get) in members)
        {
            var d = FindDifference(get(expected), get(actual), $"{path}.{name}", depth + 1);
            if (d is not null) return d;
        }
        return null;
    }

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal)
        || typeof(Value).IsAssignableFrom(type) || type == typeof(Core.Clock.Timestamp) || type == typeof(Core.Crdt.PnCounterState);

    private static bool IsStreamRef(Type type) =>
        type.GetInterfaces().Any(i => i.IsGenericType && (i.GetGenericTypeDefinition() == typeof(Akka.Streams.ISourceRef<>) || i.GetGenericTypeDefinition() == typeof(Akka.Streams.ISinkRef<>)));

    private static IActorRef? PartnerRef(object streamRef)
    {
        for (var t = streamRef.GetType(); t is not null; t = t.BaseType)
        {
            var member = t.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance).FirstOrDefault(p => p.PropertyType == typeof(IActorRef));
            if (member is not null) return (IActorRef?)member.GetValue(streamRef);
        }
        throw new InvalidOperationException($"{streamRef.GetType().Name} exposes no partner actor ref");
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        _ => value.ToString() ?? value.GetType().Name,
    };
}
