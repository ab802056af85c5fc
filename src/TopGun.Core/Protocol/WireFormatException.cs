namespace TopGun.Core.Protocol;

/// <summary>Thrown inside the decoder when a well-formed frame is not a valid message; never escapes <see cref="WireCodec"/>.</summary>
internal sealed class WireFormatException(string path, string reason, DecodeErrorKind kind = DecodeErrorKind.InvalidMessage)
    : Exception(path.Length == 0 ? reason : path + ": " + reason)
{
    public string Path { get; } = path;
    public string Reason { get; } = reason;
    public DecodeErrorKind Kind { get; } = kind;
}
