using MessagePack;

namespace TopGun.Server.Serialization;

/// <summary>Reads one message body written by the matching <see cref="MessageWriter{T}"/> (or an older version of it).</summary>
internal delegate T MessageReader<out T>(ref MessagePackReader reader);
