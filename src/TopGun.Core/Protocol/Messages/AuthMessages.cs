using MessagePack;

namespace TopGun.Core.Protocol;

/// <summary>S→C, sent on accept: the client must authenticate.</summary>
public sealed record AuthRequiredMessage : Message
{
    public override string Type => MessageTypes.AuthRequired;

    internal override void Write(ref MessagePackWriter w) => WireWriter.Begin(ref w, 1, "AUTH_REQUIRED"u8);

    internal static AuthRequiredMessage Read(ref WireReader r)
    {
        r.Skip();
        return new AuthRequiredMessage();
    }
}

/// <summary>C→S: a JWT.</summary>
public sealed record AuthMessage(string Token) : Message
{
    public override string Type => MessageTypes.Auth;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "AUTH"u8);
        WireWriter.Str(ref w, "token"u8, Token);
    }

    internal static AuthMessage Read(ref WireReader r)
    {
        string? token = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("token"u8)) token = r.Str("token");
            else r.Skip();
        }
        return new AuthMessage(r.Required(token, "token"));
    }
}

/// <summary>S→C: authentication succeeded.</summary>
public sealed record AuthAckMessage : Message
{
    public override string Type => MessageTypes.AuthAck;

    internal override void Write(ref MessagePackWriter w) => WireWriter.Begin(ref w, 1, "AUTH_ACK"u8);

    internal static AuthAckMessage Read(ref WireReader r)
    {
        r.Skip();
        return new AuthAckMessage();
    }
}

/// <summary>S→C: authentication failed; the server closes with 4001 next.</summary>
public sealed record AuthFailMessage(string Error) : Message
{
    public override string Type => MessageTypes.AuthFail;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "AUTH_FAIL"u8);
        WireWriter.Str(ref w, "error"u8, Error);
    }

    internal static AuthFailMessage Read(ref WireReader r)
    {
        string? error = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("error"u8)) error = r.Str("error");
            else r.Skip();
        }
        return new AuthFailMessage(r.Required(error, "error"));
    }
}
