namespace TopGun.Client;

/// <summary>The server refused an op for good (OP_REJECTED, or an OP_ACK result with success=false); it left the op log.</summary>
public sealed record OpFailure(string OpId, string MapName, string Key, string Reason);
