namespace TopGun.Core.Protocol;

/// <summary>
/// Why a frame was rejected: the message type (when it could be read), the path of the offending
/// field (e.g. <c>payload.ops[3].record.timestamp.millis</c>, empty for the frame itself) and a reason.
/// </summary>
public sealed record DecodeError(DecodeErrorKind Kind, string? MessageType, string Path, string Reason)
{
    public override string ToString()
    {
        var where = Path.Length == 0 ? Reason : string.Concat(Path, ": ", Reason);
        return MessageType is null ? where : string.Concat(MessageType, " ", where);
    }
}
