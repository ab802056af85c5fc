using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TopGun.LoadGen.Client;

/// <summary>
/// Mints HS256 JWTs the way a TopGun auth service would, so load runs and tests need only the server's
/// shared secret, not a token issuer.
/// </summary>
public static class HsTokens
{
    public static string Mint(string secret, string subject, IReadOnlyList<string>? roles = null, TimeSpan? lifetime = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var expires = DateTimeOffset.UtcNow.Add(lifetime ?? TimeSpan.FromHours(1)).ToUnixTimeSeconds();
        var claims = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["sub"] = subject,
            ["roles"] = roles ?? ["USER"],
            ["exp"] = expires,
        });
        var header = Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8);
        var body = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(header + "." + body));
        return header + "." + body + "." + Base64Url.EncodeToString(signature);
    }
}
