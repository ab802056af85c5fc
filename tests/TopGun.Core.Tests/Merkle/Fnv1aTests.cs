using TopGun.Core.Merkle;

namespace TopGun.Core.Tests.Merkle;

public sealed class Fnv1aTests
{
    [Theory]
    [InlineData("", 2166136261u)]
    [InlineData("a", 3826002220u)]
    [InlineData("user-1", 4115888500u)]
    [InlineData("todo-1", 3550467539u)]
    [InlineData("é", 1812687940u)]
    public void Hash_matches_protocol_vectors(string input, uint expected) =>
        Assert.Equal(expected, Fnv1a.Hash(input));

    [Fact]
    public void Hash_runs_over_utf16_code_units_not_utf8_bytes()
    {
        // U+1F600 is two UTF-16 units; hashing the surrogate pair must equal hashing the units one by one.
        var emoji = "\U0001F600";
        Assert.Equal(Fnv1a.Hash(new[] { emoji[0], emoji[1] }), Fnv1a.Hash(emoji));
        Assert.NotEqual(Fnv1a.Hash("\u00e9"), Fnv1a.Hash("\u0065\u0301"));
    }
}
