using System.Text;
using System.Text.Json;
using TopGun.Core.Protocol;
using TopGun.Core.Tests.Protocol;
using TopGun.Core.Values;

namespace TopGun.Core.Tests.CrossCheck;

/// <summary>What msgpackr's unpack makes of every message our encoder writes; node runs once per test class.</summary>
public sealed class CodecToMsgpackrTests(CodecToMsgpackrTests.UnpackedByMsgpackr unpacked) : IClassFixture<CodecToMsgpackrTests.UnpackedByMsgpackr>
{
    public sealed class UnpackedByMsgpackr
    {
        public UnpackedByMsgpackr()
        {
            var input = new StringBuilder();
            foreach (var m in MessageSamples.All)
                input.Append(JsonSerializer.Serialize(new { name = m.Type, b64 = Convert.ToBase64String(WireCodec.Encode(m)) })).Append('\n');
            foreach (var line in NodeScript.Run("unpack-frames.js", input.ToString()).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var doc = JsonDocument.Parse(line);
                Lines[doc.RootElement.GetProperty("name").GetString()!] = line;
            }
        }

        public Dictionary<string, string> Lines { get; } = new(StringComparer.Ordinal);
    }

    public static TheoryData<string> Types()
    {
        var data = new TheoryData<string>();
        foreach (var t in WireCodec.KnownTypes) data.Add(t);
        return data;
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Msgpackr_unpacks_every_encoded_type_to_the_same_JS_value(string type)
    {
        Assert.True(unpacked.Lines.TryGetValue(type, out var line), $"no unpack result for {type}");
        using var doc = JsonDocument.Parse(line);
        Assert.False(doc.RootElement.TryGetProperty("error", out var error), "msgpackr failed: " + error);

        var annotated = doc.RootElement.GetProperty("value").GetRawText();
        // Every number must reach JS as a number: a BigInt would break the TS client's clock arithmetic.
        Assert.DoesNotContain("$bigint", annotated, StringComparison.Ordinal);
        Assert.DoesNotContain("$undefined", annotated, StringComparison.Ordinal);
        Assert.DoesNotContain("$class", annotated, StringComparison.Ordinal);

        var message = MessageSamples.All.Single(m => m.Type == type);
        var ours = Annotate(ValueCodec.Deserialize(WireCodec.Encode(message)));
        Assert.True(JsonValueReader.TryRead(Encoding.UTF8.GetBytes(annotated), DecodeLimits.Default, out var theirs));
        Assert.Equal(ours, theirs);
        Assert.Equal("type", doc.RootElement.GetProperty("keys")[0].GetString());
    }

    [Fact]
    public void Hlc_millis_and_server_times_arrive_as_JS_numbers()
    {
        using var pong = JsonDocument.Parse(unpacked.Lines["PONG"]);
        Assert.Equal(1700000000130, pong.RootElement.GetProperty("value").GetProperty("serverTime").GetInt64());
        using var ev = JsonDocument.Parse(unpacked.Lines["SERVER_EVENT"]);
        var millis = ev.RootElement.GetProperty("value").GetProperty("payload").GetProperty("record").GetProperty("timestamp").GetProperty("millis");
        Assert.Equal(JsonValueKind.Number, millis.ValueKind);
        Assert.Equal(1700000000123, millis.GetInt64());
    }

    [Fact]
    public void The_batch_payload_arrives_as_a_Uint8Array()
    {
        using var doc = JsonDocument.Parse(unpacked.Lines["BATCH"]);
        Assert.Equal(JsonValueKind.String, doc.RootElement.GetProperty("value").GetProperty("data").GetProperty("$bytes").ValueKind);
        Assert.Equal(2, doc.RootElement.GetProperty("value").GetProperty("count").GetInt32());
    }

    /// <summary>Our value in the JSON shape unpack-frames.js prints (bytes as {"$bytes": base64}).</summary>
    private static Value Annotate(Value v) => v switch
    {
        BytesValue b => Value.Map(("$bytes", Convert.ToBase64String(b.Span))),
        ArrayValue a => Value.Array(a.Items.Select(Annotate)),
        MapValue m => Value.Map(m.Entries.Select(e => new KeyValuePair<string, Value>(e.Key, Annotate(e.Value)))),
        _ => v,
    };
}
