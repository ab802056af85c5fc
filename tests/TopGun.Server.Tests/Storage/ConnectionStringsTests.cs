using TopGun.Server.Storage;

namespace TopGun.Server.Tests.Storage;

public sealed class ConnectionStringsTests
{
    [Theory]
    [InlineData("Host=db;Username=u;Password=hunter2;Database=d")]
    [InlineData("Host=db;PWD=hunter2")]
    public void Redaction_never_shows_the_password(string connectionString)
    {
        var redacted = ConnectionStrings.Redact(connectionString);

        Assert.DoesNotContain("hunter2", redacted, StringComparison.Ordinal);
        Assert.Contains("host=db", redacted, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void An_unparseable_string_is_not_echoed()
    {
        Assert.Equal("<unparseable connection string>", ConnectionStrings.Redact("Password=\"unterminated"));
    }
}
