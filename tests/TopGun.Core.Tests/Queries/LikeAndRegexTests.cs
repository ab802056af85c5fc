using System.Text.RegularExpressions;
using TopGun.Core.Queries;
using TopGun.Core.Values;
using static TopGun.Core.Tests.Queries.QueryValues;

namespace TopGun.Core.Tests.Queries;

public sealed class LikeAndRegexTests
{
    private static bool Like(string pattern, string input) => Matches(Leaf("like", "s", pattern), Record(("s", input)));

    private static bool RegexMatches(string pattern, string input) => Matches(Leaf("regex", "s", pattern), Record(("s", input)));

    [Theory]
    [InlineData("hello", "hello", true)]
    [InlineData("HeLLo", "hello", true)]
    [InlineData("hell", "hello", false)]
    [InlineData("h%", "hello", true)]
    [InlineData("%llo", "hello", true)]
    [InlineData("%ll%", "hello", true)]
    [InlineData("%x%", "hello", false)]
    [InlineData("h_llo", "hello", true)]
    [InlineData("h_lo", "hello", false)]
    [InlineData("_____", "hello", true)]
    [InlineData("______", "hello", false)]
    [InlineData("%", "", true)]
    [InlineData("", "", true)]
    [InlineData("_", "", false)]
    [InlineData("a%b%c", "aXXbYYc", true)]
    [InlineData("a%b%c", "aXXcYYb", false)]
    [InlineData("%a%a%a%a%b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    [InlineData("line%end", "line\nend", true)]
    [InlineData("ÄBC%", "äbcd", true)]
    public void Like_supports_sql_wildcards_case_insensitively(string pattern, string input, bool expected) =>
        Assert.Equal(expected, Like(pattern, input));

    [Theory]
    [InlineData("a.c", "abc", false)]
    [InlineData("a.c", "a.c", true)]
    [InlineData("a*", "aaa", false)]
    [InlineData("a*", "a*", true)]
    [InlineData("(x|y)", "x", false)]
    [InlineData("(x|y)", "(x|y)", true)]
    [InlineData("[ab]", "a", false)]
    [InlineData("^$", "^$", true)]
    [InlineData(@"a\d", "a1", false)]
    [InlineData(@"a\d", @"a\d", true)]
    [InlineData("a+?{2}", "a+?{2}", true)]
    public void Like_treats_regex_syntax_as_literal_text(string pattern, string input, bool expected) =>
        Assert.Equal(expected, Like(pattern, input));

    [Fact]
    public void Like_needs_a_string_attribute()
    {
        Assert.False(Matches(Leaf("like", "n", "1%"), Record(("n", 12))));
        Assert.False(Matches(Leaf("like", "n", "%"), Record(("n", Value.Null))));
    }

    [Theory]
    [InlineData("^a.c$", "abc", true)]
    [InlineData("b", "abc", true)]
    [InlineData("^B", "abc", false)]
    [InlineData(@"\d{3}-\d{4}", "call 555-1234", true)]
    [InlineData("(?i)^ABC$", "abc", true)]
    public void Regex_searches_anywhere_in_the_string(string pattern, string input, bool expected) =>
        Assert.Equal(expected, RegexMatches(pattern, input));

    [Fact]
    public void Regex_needs_a_string_attribute() =>
        Assert.False(Matches(Leaf("regex", "n", "1"), Record(("n", 1))));

    [Fact]
    public void Catastrophic_regex_times_out_as_no_match()
    {
        Assert.Equal(QuerySpec.RegexMatchTimeout, Spec(WithPredicate(Leaf("regex", "s", "a"))).Filter!.RegexTimeout);
        // Exponential backtracking: without the match timeout this would run for ages.
        var input = new string('a', 40) + "!";
        Assert.False(RegexMatches(@"^(\w+\s?)*$", input));
        Assert.False(RegexMatches("^(a|aa)+$", input));
    }

    [Fact]
    public void Regexes_run_on_the_linear_time_engine_so_nested_quantifiers_cannot_backtrack()
    {
        var filter = Spec(WithPredicate(Leaf("regex", "s", "^(a+)+$"))).Filter!;
        Assert.True(filter.RegexOptions!.Value.HasFlag(RegexOptions.NonBacktracking));
        var many = new string('a', 100_000);
        Assert.True(RegexMatches("^(a+)+$", many));
        Assert.False(RegexMatches("^(a+)+$", many + "!"));
    }

    [Theory]
    [InlineData(@"(a)\1")]
    [InlineData("foo(?=bar)")]
    [InlineData("(?<!x)y")]
    [InlineData("(?>a+)b")]
    [InlineData("(?(a)b|c)")]
    public void A_regex_that_needs_backtracking_is_refused_with_a_clear_error(string pattern)
    {
        var error = ParseError(WithPredicate(Leaf("regex", "s", pattern)));
        Assert.StartsWith("predicate.value: regex uses a construct that needs backtracking", error);
    }

    [Theory]
    [InlineData("(")]
    [InlineData("[a-")]
    [InlineData("a{2,1}")]
    [InlineData(@"\")]
    public void Invalid_regex_is_a_parse_error(string pattern)
    {
        var error = ParseError(WithPredicate(Leaf("regex", "s", pattern)));
        Assert.StartsWith("predicate.value: invalid regex", error);
    }

    [Fact]
    public void Overlong_regex_is_a_parse_error()
    {
        var error = ParseError(WithPredicate(Leaf("regex", "s", new string('a', QuerySpec.MaxRegexLength + 1))));
        Assert.StartsWith("predicate.value: pattern longer than", error);
    }
}
