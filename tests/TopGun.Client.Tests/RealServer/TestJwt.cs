using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TopGun.Client.Tests.RealServer;

/// <summary>Signs HS256 JWTs with the test server's shared secret, as the application's auth service would.</summary>
internal static class TestJwt
{
    public static string Mint(string secret, string subject, params string[] roles)
    {
        var claims = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["sub"] = subject,
            ["roles"] = roles,
            ["exp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
        });
        var header = Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8);
        var body = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(header + "." + body));
        return header + "." + body + "." + Base64Url.EncodeToString(signature);
    }
}
