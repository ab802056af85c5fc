using MessagePack;

namespace TopGun.Core.Protocol;

/// <summary>
/// A TopGun v2 wire message (protocol.md §4). A closed family: every subtype lives in this assembly
/// and knows its own wire form; <see cref="WireCodec"/> decodes and encodes them.
/// </summary>
public abstract record Message
{
    private protected Message() { }

    /// <summary>The envelope's <c>type</c> string (one of <see cref="MessageTypes"/>).</summary>
    public abstract string Type { get; }

    internal abstract void Write(ref MessagePackWriter writer);
}
