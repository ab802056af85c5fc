using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace TopGun.Server.Tests.Gateway;

/// <summary>HS256 tokens signed the way the TS peers sign them.</summary>
public static class TestTokens
{
    public const string Secret = "gateway-test-secret-0123456789abcdef";

    public static string Valid(string userId = "alice", string secret = Secret) =>
        Sign(secret, $$"""{"sub":"{{userId}}","roles":["USER"],"exp":{{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()}}}""");

    public static string WithRoles(string userId, params string[] roles) =>
        Sign(Secret, $$"""{"sub":"{{userId}}","roles":[{{string.Join(",", roles.Select(r => "\"" + r + "\""))}}],"exp":{{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()}}}""");

    public static string Expired(string userId = "alice") =>
        Sign(Secret, $$"""{"sub":"{{userId}}","exp":{{DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds()}}}""");

    private static string Sign(string secret, string payloadJson)
    {
        var header = Base64UrlEncoder.Encode("""{"alg":"HS256","typ":"JWT"}""");
        var body = Base64UrlEncoder.Encode(payloadJson);
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(header + "." + body));
        return header + "." + body + "." + Base64UrlEncoder.Encode(signature);
    }
}
