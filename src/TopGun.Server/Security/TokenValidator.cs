using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TopGun.Server.Configuration;

namespace TopGun.Server.Security;

/// <summary>
/// Verifies client JWTs the way TopGun's TS server does: HS256 with the shared secret, or RS256 when
/// the configured key is a PEM public key; <c>exp</c>/<c>nbf</c> enforced with a small clock skew;
/// user id from <c>sub</c> (else <c>userId</c>); <c>roles</c> a string or an array, default ["USER"].
/// Only the one configured algorithm is accepted, so an RS256 public key can never be used as an
/// HMAC secret (algorithm confusion).
/// </summary>
internal sealed class TokenValidator : IDisposable
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters _parameters;
    private readonly RSA? _rsa;

    public TokenValidator(JwtSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        SecurityKey key;
        string algorithm;
        if (settings.IsPublicKey)
        {
            _rsa = RSA.Create();
            try
            {
                _rsa.ImportFromPem(settings.Secret);
            }
            catch (ArgumentException e)
            {
                _rsa.Dispose();
                throw new TopGunConfigurationException("TOPGUN_JWT_SECRET looks like a PEM block but is not a readable RSA public key: " + e.Message, e);
            }
            key = new RsaSecurityKey(_rsa);
            algorithm = SecurityAlgorithms.RsaSha256;
        }
        else
        {
            key = new SymmetricSecurityKey(HmacKey(settings.Secret));
            algorithm = SecurityAlgorithms.HmacSha256;
        }

        Algorithm = algorithm;
        _parameters = new TokenValidationParameters
        {
            IssuerSigningKey = key,
            ValidAlgorithms = [algorithm],
            ValidateIssuerSigningKey = true,
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = true,
            // The TS server accepts tokens without exp; an exp that is present is always enforced.
            RequireExpirationTime = false,
            RequireSignedTokens = true,
            ClockSkew = settings.ClockSkew,
        };
    }

    /// <summary>"HS256" or "RS256".</summary>
    public string Algorithm { get; }

    public async Task<AuthenticationOutcome> ValidateAsync(string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
            return new AuthenticationOutcome.Rejected("Token is missing");

        var result = await _handler.ValidateTokenAsync(token, _parameters).ConfigureAwait(false);
        if (!result.IsValid)
            return new AuthenticationOutcome.Rejected(Describe(result.Exception));

        var jwt = (JsonWebToken)result.SecurityToken;
        using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload));
        var userId = ReadUserId(payload.RootElement, "sub") ?? ReadUserId(payload.RootElement, "userId");
        if (userId is null)
            return new AuthenticationOutcome.Rejected("Token has no user id (claim 'sub' or 'userId')");

        if (!TryReadRoles(payload.RootElement, out var roles, out var rolesError))
            return new AuthenticationOutcome.Rejected(rolesError);
        return new AuthenticationOutcome.Accepted(new Principal(userId, roles));
    }

    public void Dispose() => _rsa?.Dispose();

    /// <summary>
    /// HMAC zero-pads keys shorter than its block size, so padding a short secret to the 256 bits the
    /// library insists on produces the very same signatures the TS peers compute with the raw secret.
    /// </summary>
    internal static byte[] HmacKey(string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        if (bytes.Length >= 32) return bytes;
        var padded = new byte[32];
        bytes.CopyTo(padded, 0);
        return padded;
    }

    private static string? ReadUserId(JsonElement payload, string claim)
    {
        if (!payload.TryGetProperty(claim, out var value)) return null;
        var id = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return string.IsNullOrEmpty(id) ? null : id;
    }

    private static bool TryReadRoles(JsonElement payload, out IReadOnlyList<string> roles, out string error)
    {
        error = "";
        roles = Principal.DefaultRoles;
        if (!payload.TryGetProperty("roles", out var value) || value.ValueKind == JsonValueKind.Null)
            return true;
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                roles = [value.GetString()!];
                return true;
            case JsonValueKind.Array:
                var list = new List<string>();
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        error = "Claim 'roles' must be a string or an array of strings";
                        return false;
                    }
                    list.Add(item.GetString()!);
                }
                roles = list;
                return true;
            default:
                error = "Claim 'roles' must be a string or an array of strings";
                return false;
        }
    }

    private static string Describe(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "Token expired",
        SecurityTokenNotYetValidException => "Token not yet valid",
        SecurityTokenInvalidAlgorithmException => "Token algorithm not accepted",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "Invalid token signature",
        SecurityTokenMalformedException => "Malformed token",
        null => "Invalid token",
        _ => "Invalid token",
    };
}
