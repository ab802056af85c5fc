namespace TopGun.Server.Configuration;

/// <summary>
/// Token verification key (<c>topgun.jwt</c>). <see cref="Secret"/> holds the resolved material: the
/// HS256 secret, or the PEM text of an RS256 public key when the configured value was a PEM block or
/// a path to a PEM file.
/// </summary>
public sealed record JwtSettings(string Secret, TimeSpan ClockSkew)
{
    /// <summary>The built-in development secret; production refuses to start with it.</summary>
    public const string DevelopmentSecret = "topgun-dev-secret-do-not-use-in-production";

    public bool IsPublicKey => Secret.Contains("-----BEGIN", StringComparison.Ordinal);

    public bool IsDevelopmentSecret => string.IsNullOrWhiteSpace(Secret) || Secret == DevelopmentSecret;

    public JwtSettings WithSecret(string secret) => this with { Secret = secret };
}
