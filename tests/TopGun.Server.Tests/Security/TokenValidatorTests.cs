using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TopGun.Server.Configuration;
using TopGun.Server.Security;

namespace TopGun.Server.Tests.Security;

public sealed class TokenValidatorTests
{
    private const string Secret = "test-secret-that-is-long-enough-for-hs256";
    private static readonly JwtSettings HsSettings = new(Secret, TimeSpan.FromSeconds(5));

    [Fact]
    public async Task Valid_hs256_token_yields_the_principal()
    {
        using var validator = new TokenValidator(HsSettings);

        var result = await validator.ValidateAsync(Hs256(Secret, new { sub = "alice", roles = new[] { "ADMIN", "USER" } }));

        var accepted = Assert.IsType<AuthenticationOutcome.Accepted>(result);
        Assert.Equal("alice", accepted.Principal.UserId);
        Assert.Equal(["ADMIN", "USER"], accepted.Principal.Roles);
        Assert.Equal("HS256", validator.Algorithm);
    }

    [Fact]
    public async Task Token_signed_with_another_secret_is_rejected_for_its_signature()
    {
        using var validator = new TokenValidator(HsSettings);

        var result = await validator.ValidateAsync(Hs256("some-other-secret-of-sufficient-length", new { sub = "alice" }));

        Assert.Equal("Invalid token signature", Assert.IsType<AuthenticationOutcome.Rejected>(result).Reason);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("HS256")]
    public async Task An_unsigned_token_is_rejected_whatever_algorithm_its_header_names(string alg)
    {
        using var validator = new TokenValidator(HsSettings);
        static string Part(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var unsigned = Part($$"""{"alg":"{{alg}}","typ":"JWT"}""") + "." + Part("""{"sub":"mallory","roles":["ADMIN"]}""") + ".";

        var result = await validator.ValidateAsync(unsigned);

        Assert.IsType<AuthenticationOutcome.Rejected>(result);
    }

    [Fact]
    public async Task Expired_token_is_rejected_beyond_the_clock_skew()
    {
        using var validator = new TokenValidator(HsSettings);
        var expired = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds();

        var result = await validator.ValidateAsync(Hs256(Secret, new { sub = "alice", exp = expired }));

        Assert.Equal("Token expired", Assert.IsType<AuthenticationOutcome.Rejected>(result).Reason);
    }

    [Fact]
    public async Task Token_expired_within_the_clock_skew_is_still_accepted()
    {
        using var validator = new TokenValidator(HsSettings with { ClockSkew = TimeSpan.FromMinutes(2) });
        var justExpired = DateTimeOffset.UtcNow.AddSeconds(-30).ToUnixTimeSeconds();

        var result = await validator.ValidateAsync(Hs256(Secret, new { sub = "alice", exp = justExpired }));

        Assert.IsType<AuthenticationOutcome.Accepted>(result);
    }

    [Fact]
    public async Task Short_secrets_verify_like_the_ts_peers_compute_them()
    {
        // jsonwebtoken signs with the raw short secret; HMAC's own zero padding makes that equal to our padded key.
        const string shortSecret = "dev";
        using var validator = new TokenValidator(new JwtSettings(shortSecret, TimeSpan.FromSeconds(5)));
        var token = RawHs256(Encoding.UTF8.GetBytes(shortSecret), """{"sub":"bob"}""");

        var result = await validator.ValidateAsync(token);

        Assert.Equal("bob", Assert.IsType<AuthenticationOutcome.Accepted>(result).Principal.UserId);
    }

    [Fact]
    public async Task Rs256_token_verifies_against_the_pem_public_key()
    {
        using var rsa = RSA.Create(2048);
        using var validator = new TokenValidator(new JwtSettings(rsa.ExportSubjectPublicKeyInfoPem(), TimeSpan.FromSeconds(5)));
        var token = new JsonWebTokenHandler().CreateToken(
            """{"sub":"carol","roles":"ADMIN"}""",
            new SigningCredentials(new RsaSecurityKey(rsa), SecurityAlgorithms.RsaSha256));

        var result = await validator.ValidateAsync(token);

        var accepted = Assert.IsType<AuthenticationOutcome.Accepted>(result);
        Assert.Equal("carol", accepted.Principal.UserId);
        Assert.Equal(["ADMIN"], accepted.Principal.Roles);
        Assert.Equal("RS256", validator.Algorithm);
    }

    [Fact]
    public async Task Rs256_validator_refuses_an_hs256_token_signed_with_the_public_key_text()
    {
        using var rsa = RSA.Create(2048);
        var pem = rsa.ExportSubjectPublicKeyInfoPem();
        using var validator = new TokenValidator(new JwtSettings(pem, TimeSpan.FromSeconds(5)));

        var result = await validator.ValidateAsync(Hs256(pem, new { sub = "mallory" }));

        Assert.IsType<AuthenticationOutcome.Rejected>(result);
    }

    [Fact]
    public async Task Roles_default_to_user_when_absent()
    {
        using var validator = new TokenValidator(HsSettings);

        var result = await validator.ValidateAsync(Hs256(Secret, new { sub = "alice" }));

        Assert.Equal(["USER"], Assert.IsType<AuthenticationOutcome.Accepted>(result).Principal.Roles);
    }

    [Fact]
    public async Task Roles_given_as_a_single_string_become_a_one_element_list()
    {
        using var validator = new TokenValidator(HsSettings);

        var result = await validator.ValidateAsync(Hs256(Secret, new { sub = "alice", roles = "EDITOR" }));

        Assert.Equal(["EDITOR"], Assert.IsType<AuthenticationOutcome.Accepted>(result).Principal.Roles);
    }

    [Fact]
    public async Task An_empty_roles_array_stays_empty()
    {
        using var validator = new TokenValidator(HsSettings);

        var result = await validator.ValidateAsync(Hs256(Secret, new { sub = "alice", roles = Array.Empty<string>() }));

        Assert.Empty(Assert.IsType<AuthenticationOutcome.Accepted>(result).Principal.Roles);
    }

    [Fact]
    public async Task Roles_of_another_shape_are_rejected()
    {
        using var validator = new TokenValidator(HsSettings);

        var result = await validator.ValidateAsync(Hs256(Secret, new { sub = "alice", roles = new { admin = true } }));

        Assert.Contains("roles", Assert.IsType<AuthenticationOutcome.Rejected>(result).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserId_claim_is_used_when_sub_is_absent()
    {
        using var validator = new TokenValidator(HsSettings);

        var result = await validator.ValidateAsync(Hs256(Secret, new { userId = "dave" }));

        Assert.Equal("dave", Assert.IsType<AuthenticationOutcome.Accepted>(result).Principal.UserId);
    }

    [Fact]
    public async Task Sub_wins_over_userId()
    {
        using var validator = new TokenValidator(HsSettings);

        var result = await validator.ValidateAsync(Hs256(Secret, new { sub = "erin", userId = "frank" }));

        Assert.Equal("erin", Assert.IsType<AuthenticationOutcome.Accepted>(result).Principal.UserId);
    }

    [Fact]
    public async Task Token_without_a_user_id_is_rejected()
    {
        using var validator = new TokenValidator(HsSettings);

        var result = await validator.ValidateAsync(Hs256(Secret, new { roles = "USER" }));

        Assert.Contains("user id", Assert.IsType<AuthenticationOutcome.Rejected>(result).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    public async Task Garbage_is_rejected_without_throwing(string token)
    {
        using var validator = new TokenValidator(HsSettings);

        Assert.IsType<AuthenticationOutcome.Rejected>(await validator.ValidateAsync(token));
    }

    private static string Hs256(string secret, object payload) =>
        RawHs256(Encoding.UTF8.GetBytes(secret), System.Text.Json.JsonSerializer.Serialize(payload));

    // Signs exactly like jsonwebtoken does (raw secret bytes into HMAC), independent of the library under test.
    private static string RawHs256(byte[] key, string payloadJson) => TestTokens.Sign(key, payloadJson);
}
