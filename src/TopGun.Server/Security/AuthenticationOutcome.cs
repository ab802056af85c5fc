namespace TopGun.Server.Security;

/// <summary>Outcome of checking a client's JWT: accepted with a principal, or rejected with a reason fit for AUTH_FAIL.</summary>
internal abstract record AuthenticationOutcome
{
    private AuthenticationOutcome() { }

    public sealed record Accepted(Principal Principal) : AuthenticationOutcome;

    public sealed record Rejected(string Reason) : AuthenticationOutcome;
}
