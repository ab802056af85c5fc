using TopGun.Client.Mapping;
using TopGun.Core.Values;

namespace TopGun.Client.Tests.Unit;

public sealed class JsonValueMapperTests
{
    private sealed record Order(string Id, int Quantity, double Price, string[] Tags, Address? ShipTo, Dictionary<string, int> Counts);

    private sealed record Address(string City, string? Zip);

    [Fact]
    public void A_record_becomes_a_camel_case_map()
    {
        var value = new JsonValueMapper<Todo>().ToValue(new Todo("milk", true));
        Assert.Equal(Value.Map(("text", "milk"), ("done", true)), value);
    }

    [Fact]
    public void Nested_objects_arrays_dictionaries_and_numbers_round_trip()
    {
        var mapper = new JsonValueMapper<Order>();
        var order = new Order("o-1", 3, 9.5, ["a", "b"], new Address("Oslo", null), new() { ["x"] = 1 });
        var value = mapper.ToValue(order);
        Assert.Equal(Value.Of(3), value["quantity"]);
        Assert.Equal(Value.Array("a", "b"), value["tags"]);
        Assert.Equal(Value.Null, value["shipTo"]!["zip"]);
        var back = mapper.FromValue(value);
        Assert.Equal(order with { Tags = back.Tags, Counts = back.Counts }, back);
        Assert.Equal(["a", "b"], back.Tags);
        Assert.Equal(1, back.Counts["x"]);
    }

    [Fact]
    public void Values_written_by_other_clients_read_back_with_extra_fields_ignored()
    {
        var value = Value.Map(("text", "bread"), ("done", false), ("createdBy", "ts-client"));
        Assert.Equal(new Todo("bread", false), new JsonValueMapper<Todo>().FromValue(value));
    }

    [Fact]
    public void Bytes_read_as_base64_strings()
    {
        var json = JsonValues.ToJson(Value.Map(("b", new BytesValue([1, 2, 3]))));
        Assert.Equal("{\"b\":\"AQID\"}", json);
    }
}
