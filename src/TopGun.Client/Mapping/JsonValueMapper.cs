using System.Buffers;
using System.Text.Json;
using TopGun.Core.Values;

namespace TopGun.Client.Mapping;

/// <summary>
/// Maps POCOs and records to the wire value model through System.Text.Json: <c>T</c> is serialized
/// to a <see cref="JsonElement"/> and that tree becomes a <see cref="Value"/>; the way back writes the
/// value as JSON and deserializes <c>T</c>. So the mapping is exactly JSON's:
/// <list type="bullet">
/// <item>objects → <see cref="MapValue"/> (property names per <see cref="JsonSerializerOptions"/>;
/// the default is <see cref="JsonSerializerDefaults.Web"/>, i.e. camelCase, so TypeScript clients see
/// <c>{ text, done }</c> for a C# <c>Text</c>/<c>Done</c>), arrays and collections → <see cref="ArrayValue"/>;</item>
/// <item>every number → <see cref="NumberValue"/> (a JS double: integers beyond 2^53 lose precision);</item>
/// <item>strings, booleans and null as themselves; <c>byte[]</c>, dates, enums and Guids as System.Text.Json
/// writes them (base64 / ISO 8601 / number or string).</item>
/// </list>
/// Reading accepts any value; <see cref="BytesValue"/> is read as a base64 string.
/// </summary>
public sealed class JsonValueMapper<T> : IValueMapper<T>
{
    public static readonly JsonSerializerOptions DefaultOptions = new(JsonSerializerDefaults.Web);

    private readonly JsonSerializerOptions _options;

    public JsonValueMapper(JsonSerializerOptions? options = null) => _options = options ?? DefaultOptions;

    public Value ToValue(T item)
    {
        var element = JsonSerializer.SerializeToElement(item, _options);
        return JsonValues.FromElement(element);
    }

    public T FromValue(Value value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer)) JsonValues.Write(writer, value);
        return JsonSerializer.Deserialize<T>(buffer.WrittenSpan, _options)!;
    }
}

/// <summary>Conversions between <see cref="JsonElement"/> / JSON text and <see cref="Value"/>.</summary>
public static class JsonValues
{
    public static Value FromElement(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => new MapValue(element.EnumerateObject().Select(p => new KeyValuePair<string, Value>(p.Name, FromElement(p.Value))).ToArray()),
        JsonValueKind.Array => new ArrayValue(element.EnumerateArray().Select(FromElement).ToArray()),
        JsonValueKind.String => Value.Of(element.GetString()),
        JsonValueKind.Number => Value.Of(element.GetDouble()),
        JsonValueKind.True => Value.True,
        JsonValueKind.False => Value.False,
        _ => Value.Null,
    };

    /// <summary>Converts any object through System.Text.Json (anonymous objects included).</summary>
    public static Value FromObject(object? item, JsonSerializerOptions? options = null) =>
        item is Value v ? v : FromElement(JsonSerializer.SerializeToElement(item, options ?? JsonValueMapper<object>.DefaultOptions));

    public static void Write(Utf8JsonWriter writer, Value value)
    {
        switch (value)
        {
            case MapValue map:
                writer.WriteStartObject();
                foreach (var (k, v) in map.Entries)
                {
                    writer.WritePropertyName(k);
                    Write(writer, v);
                }
                writer.WriteEndObject();
                break;
            case ArrayValue array:
                writer.WriteStartArray();
                foreach (var item in array.Items) Write(writer, item);
                writer.WriteEndArray();
                break;
            case StringValue s:
                writer.WriteStringValue(s.Item);
                break;
            case NumberValue n:
                if (double.IsFinite(n.Item)) writer.WriteNumberValue(n.Item);
                else writer.WriteNullValue();
                break;
            case BoolValue b:
                writer.WriteBooleanValue(b.Item);
                break;
            case BytesValue bytes:
                writer.WriteBase64StringValue(bytes.Span);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    public static string ToJson(Value value)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer)) Write(writer, value);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
