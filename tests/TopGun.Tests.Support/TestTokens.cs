using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TopGun.Tests.Support;

/// <summary>
/// HS256 JWTs signed the way the TS peers (jsonwebtoken) sign them: the raw secret bytes into HMAC-SHA256, written
/// here without any JWT library so the server's validation is checked against an independent signer.
/// </summary>
public static class TestTokens
{
    /// <summary>The shared secret of the in-process test nodes (TOPGUN_JWT_SECRET); long enough for HS256.</summary>
    public const string Secret = "topgun-test-secret-0123456789abcdef";

    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);

    /// <summary>A token for <paramref name="userId"/> with the USER role, valid for an hour.</summary>
    public static string Valid(string userId = "alice", string secret = Secret) => Mint(secret, userId, "USER");

    public static string WithRoles(string userId, params string[] roles) => Mint(Secret, userId, roles);

    /// <summary>A token that expired an hour ago (and carries no roles).</summary>
    public static string Expired(string userId = "alice") =>
        Sign(Secret, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["sub"] = userId,
            ["exp"] = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds(),
        }));

    /// <summary>A token for <paramref name="subject"/> with <paramref name="roles"/>, valid for an hour.</summary>
    public static string Mint(string secret, string subject, params string[] roles) => Mint(secret, subject, DefaultLifetime, roles);

    public static string Mint(string secret, string subject, TimeSpan lifetime, params string[] roles) =>
        Sign(secret, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["sub"] = subject,
            ["roles"] = roles,
            ["exp"] = DateTimeOffset.UtcNow.Add(lifetime).ToUnixTimeSeconds(),
        }));

    /// <summary>Signs any claims JSON, for tokens the helpers above do not make (odd claims, no expiry).</summary>
    public static string Sign(string secret, string payloadJson) => Sign(Encoding.UTF8.GetBytes(secret), payloadJson);

    public static string Sign(byte[] key, string payloadJson)
    {
        var header = Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8);
        var body = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payloadJson));
        var signature = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(header + "." + body));
        return header + "." + body + "." + Base64Url.EncodeToString(signature);
    }
}
