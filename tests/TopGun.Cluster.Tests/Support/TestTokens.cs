using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace TopGun.Cluster.Tests.Support;

/// <summary>HS256 tokens for the nodes' shared test secret.</summary>
public static class TestTokens
{
    public const string Secret = "cluster-test-secret-0123456789abcdef";

    public static string Valid(string userId = "alice")
    {
        var header = Base64UrlEncoder.Encode("""{"alg":"HS256","typ":"JWT"}""");
        var body = Base64UrlEncoder.Encode($$"""{"sub":"{{userId}}","roles":["USER"],"exp":{{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()}}}""");
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.ASCII.GetBytes(header + "." + body));
        return header + "." + body + "." + Base64UrlEncoder.Encode(signature);
    }
}
