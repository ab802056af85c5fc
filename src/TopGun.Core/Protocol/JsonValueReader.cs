using System.Text.Json;
using TopGun.Core.Values;

namespace TopGun.Core.Protocol;

/// <summary>JSON text (the fallback encoding some clients send) to a <see cref="Value"/>, within the decode limits.</summary>
internal static class JsonValueReader
{
    public static bool TryRead(ReadOnlySpan<byte> utf8, DecodeLimits limits, out Value? value)
    {
        value = null;
        if (utf8.StartsWith("\uFEFF"u8)) utf8 = utf8[3..];
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = limits.MaxDepth, CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read()) return false;
            value = ReadValue(ref reader, limits);
            // Exactly one JSON value: anything after it makes the frame garbage.
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static Value ReadValue(ref Utf8JsonReader reader, DecodeLimits limits)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null: return Value.Null;
            case JsonTokenType.True: return Value.True;
            case JsonTokenType.False: return Value.False;
            case JsonTokenType.Number:
                if (!reader.TryGetDouble(out var d) || !double.IsFinite(d)) throw new JsonException("number out of range");
                return new NumberValue(d);
            case JsonTokenType.String:
                return new StringValue(reader.GetString()!);
            case JsonTokenType.StartArray:
            {
                var items = new List<Value>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (items.Count >= limits.MaxCollectionLength) throw new JsonException("array too long");
                    items.Add(ReadValue(ref reader, limits));
                }
                return new ArrayValue(items.ToArray());
            }
            case JsonTokenType.StartObject:
            {
                var entries = new List<KeyValuePair<string, Value>>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    if (entries.Count >= limits.MaxCollectionLength) throw new JsonException("object too large");
                    var key = reader.GetString()!;
                    reader.Read();
                    entries.Add(new(key, ReadValue(ref reader, limits)));
                }
                return new MapValue(entries.ToArray());
            }
            default:
                throw new JsonException("unexpected token " + reader.TokenType);
        }
    }
}
