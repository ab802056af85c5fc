namespace TopGun.Server.Security;

/// <summary>Outcome of checking a client's JWT: accepted with a principal, or rejected with a reason fit for AUTH_FAIL.</summary>
public abstract record TokenValidationResult
{
    private TokenValidationResult() { }

    public sealed record Accepted(Principal Principal) : TokenValidationResult;

    public sealed record Rejected(string Reason) : TokenValidationResult;
}
