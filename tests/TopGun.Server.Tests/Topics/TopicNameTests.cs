using TopGun.Server.Topics;

namespace TopGun.Server.Tests.Topics;

public sealed class TopicNameTests
{
    [Theory]
    [InlineData("chat")]
    [InlineData("room-1.events:v2/updates_all")]
    [InlineData("A")]
    public void Names_of_ascii_word_characters_and_dash_dot_colon_slash_are_valid(string topic) =>
        Assert.Null(TopicName.Check(topic));

    [Fact]
    public void A_name_of_exactly_256_characters_is_valid_and_one_more_is_not()
    {
        Assert.Null(TopicName.Check(new string('x', 256)));
        Assert.Contains("256", TopicName.Check(new string('x', 257)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("with space")]
    [InlineData("emoji-\ud83d\ude00")]
    [InlineData("ünïcode")]
    [InlineData("star*")]
    [InlineData("new\nline")]
    public void Everything_else_is_refused_with_a_reason(string? topic) =>
        Assert.NotNull(TopicName.Check(topic));
}
