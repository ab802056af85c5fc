using MessagePack;

namespace TopGun.Server.Serialization;

/// <summary>Writes one message body; the manifest already says which type and version it is.</summary>
internal delegate void MessageWriter<in T>(ref MessagePackWriter writer, T message);
