using Akka.Configuration;
using TopGun.Core.Crdt;
using TopGun.Core.Clock;
using TopGun.Core.Values;
using TopGun.Server.Configuration;
using TopGun.Server.Security;

namespace TopGun.Server.Tests.Security;

public sealed class AccessControlTests
{
    private static readonly Principal Alice = new("alice", ["USER"]);
    private static readonly Principal Bob = new("bob", ["USER"]);
    private static readonly Principal Admin = new("root", ["ADMIN"]);

    private const string ExampleHocon = """
        topgun.security.policies = [
          { role = "USER", map = "notes-{userId}", actions = ["ALL"] },
          { role = "USER", map = "public*", actions = ["READ"], fields = ["title", "done"] }
        ]
        """;

    [Fact]
    public void Without_configured_policies_every_user_may_do_anything_except_on_system_maps()
    {
        var access = AccessPolicyReader.FromConfig(ConfigurationFactory.ParseString("topgun.port = 1"));

        Assert.True(access.IsDefault);
        Assert.True(access.Resolve(Alice, "anything").Allows(AccessAction.All));
        Assert.False(access.Resolve(Alice, "$sys/stats").Allows(AccessAction.Read));
        Assert.True(access.Resolve(Admin, "$sys/stats").Allows(AccessAction.All));
    }

    [Fact]
    public void A_policy_without_read_does_not_widen_the_fields_a_read_policy_allows()
    {
        var access = AccessPolicyReader.FromConfig(ConfigurationFactory.ParseString("""
            topgun.security.policies = [
              { role = "USER", map = "tasks", actions = ["READ"], fields = ["title"] },
              { role = "USER", map = "tasks", actions = ["PUT"] }
            ]
            """));

        var grant = access.Resolve(Alice, "tasks");
        Assert.True(grant.Allows(AccessAction.Read | AccessAction.Put));
        Assert.True(grant.Fields.Allows("title"));
        Assert.False(grant.Fields.Allows("salary"));
    }

    [Fact]
    public void Read_policies_grant_the_union_of_their_fields_and_one_without_a_list_grants_every_field()
    {
        var access = AccessPolicyReader.FromConfig(ConfigurationFactory.ParseString("""
            topgun.security.policies = [
              { role = "USER", map = "tasks", actions = ["READ"], fields = ["title"] },
              { role = "USER", map = "tasks", actions = ["READ"], fields = ["done"] },
              { role = "USER", map = "tasks", actions = ["READ"], fields = ["title"] },
              { role = "ADMIN", map = "open", actions = ["READ"], fields = ["x"] },
              { role = "USER", map = "open", actions = ["READ"] },
              { role = "USER", map = "open", actions = ["READ"], fields = ["title"] }
            ]
            """));

        var tasks = access.Resolve(Alice, "tasks").Fields;
        Assert.True(tasks.Allows("title"));
        Assert.True(tasks.Allows("done"));
        Assert.False(tasks.Allows("salary"));
        Assert.True(access.Resolve(Alice, "open").Fields.Allows("salary"));
    }

    [Fact]
    public void An_empty_policy_list_lets_only_admin_act()
    {
        var access = AccessPolicyReader.FromConfig(ConfigurationFactory.ParseString("topgun.security.policies = []"));

        Assert.False(access.IsDefault);
        Assert.Empty(access.Policies);
        Assert.Equal(AccessAction.None, access.Resolve(Alice, "todos").Actions);
        Assert.True(access.Resolve(Admin, "todos").Allows(AccessAction.All));
    }

    [Fact]
    public void User_id_maps_are_private_to_their_user()
    {
        var access = AccessPolicyReader.FromConfig(ConfigurationFactory.ParseString(ExampleHocon));

        Assert.True(access.Resolve(Alice, "notes-alice").Allows(AccessAction.All));
        Assert.False(access.Resolve(Bob, "notes-alice").Allows(AccessAction.Read));
        Assert.False(access.Resolve(Alice, "notes-alice-extra").Allows(AccessAction.Read));
    }

    [Fact]
    public void A_star_inside_a_user_id_matches_literally_and_cannot_widen_a_pattern()
    {
        var policy = new AccessPolicy("USER", "notes-{userId}", AccessAction.All);

        Assert.True(policy.MatchesResource("notes-a*", "a*"));
        Assert.False(policy.MatchesResource("notes-abc", "a*"));
    }

    [Fact]
    public void Prefix_patterns_grant_their_actions_with_the_field_allow_list()
    {
        var access = AccessPolicyReader.FromConfig(ConfigurationFactory.ParseString(ExampleHocon));

        var grant = access.Resolve(Alice, "public-todos");
        Assert.True(grant.Allows(AccessAction.Read));
        Assert.False(grant.Allows(AccessAction.Put));
        Assert.False(grant.Allows(AccessAction.Remove));
        Assert.Equal("done,title", grant.Fields.ToString());
        Assert.Equal(AccessAction.None, access.Resolve(Alice, "private-todos").Actions);
    }

    [Fact]
    public void Actions_add_up_and_a_read_policy_without_fields_shows_every_field()
    {
        var access = new AccessControl([
            new AccessPolicy("USER", "shared*", AccessAction.Read, ["title"]),
            new AccessPolicy("EDITOR", "shared*", AccessAction.Put | AccessAction.Read),
        ]);
        var editor = new Principal("ed", ["USER", "EDITOR"]);

        var grant = access.Resolve(editor, "shared-doc");
        Assert.True(grant.Allows(AccessAction.Read | AccessAction.Put));
        Assert.True(grant.Fields.IsAll);
        Assert.False(access.Resolve(Alice, "shared-doc").Fields.IsAll);
    }

    [Fact]
    public void Field_filter_strips_top_level_fields_of_maps_records_and_arrays()
    {
        var filter = FieldFilter.Of(["title"]);
        var value = Value.Map(("title", Value.Of("t")), ("secret", Value.Of("s")));
        var stamp = new Timestamp(1, 0, "n");

        Assert.Equal(Value.Map(("title", Value.Of("t"))), filter.Apply(value));
        Assert.Equal(Value.Array(Value.Map(("title", Value.Of("t"))), Value.Of(3)), filter.Apply(Value.Array(value, Value.Of(3))));
        Assert.Equal(Value.Map(("title", Value.Of("t"))), filter.Apply(new LwwRecord(value, stamp)).Value);
        Assert.Equal(Value.Map(("title", Value.Of("t"))), filter.Apply(new OrMapRecord(value, stamp, "tag")).Value);
        Assert.True(filter.Apply(LwwRecord.Tombstone(stamp)).IsTombstone);
        Assert.True(filter.Allows("_key"));
    }

    [Theory]
    [InlineData("""topgun.security.policies = [ { role = "USER", map = "x", actions = ["WRITE"] } ]""", "unknown action 'WRITE'")]
    [InlineData("""topgun.security.policies = [ { map = "x", actions = ["READ"] } ]""", "[0].role")]
    [InlineData("""topgun.security.policies = [ { role = "USER", map = "a*b", actions = ["READ"] } ]""", "only allowed at the end")]
    [InlineData("""topgun.security.policies = [ { role = "USER", map = "x" } ]""", "[0].actions")]
    public void Malformed_policies_fail_startup_with_a_message_naming_the_entry(string hocon, string expected)
    {
        var error = Assert.Throws<TopGunConfigurationException>(() => AccessPolicyReader.FromConfig(ConfigurationFactory.ParseString(hocon)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
