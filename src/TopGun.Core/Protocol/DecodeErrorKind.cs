namespace TopGun.Core.Protocol;

/// <summary>How a frame failed to decode; each kind calls for a different reaction from the connection.</summary>
public enum DecodeErrorKind
{
    /// <summary>Neither MessagePack nor JSON: the peer does not speak the protocol (close 1002).</summary>
    NotAProtocolFrame,

    /// <summary>Well-formed MessagePack/JSON that is not a valid message (reply ERROR 400, stay open).</summary>
    InvalidMessage,

    /// <summary>A well-formed envelope whose <c>type</c> this codec does not know.</summary>
    UnknownType,
}
