using MessagePack;

namespace TopGun.Server.Serialization;

/// <summary>
/// A message inside another as two fields, its manifest then its body as <c>bin</c>, both from one module's
/// <see cref="ManifestRegistry"/>: the outer format need not know every inner type, and a new inner type needs
/// no new outer manifest.
/// </summary>
internal static class MessageEnvelope
{
    public static void Write(ref MessagePackWriter w, ManifestRegistry registry, object message)
    {
        w.Write(registry.ManifestFor(message));
        w.Write(registry.Write(message));
    }

    /// <summary>Reads the two fields and decodes them as a <typeparamref name="T"/>; <paramref name="what"/> names it in errors.</summary>
    public static T Read<T>(ref MessagePackReader r, ManifestRegistry registry, string what) where T : class
    {
        var manifest = Fields.ReadString(ref r);
        var bytes = Fields.ReadBin(ref r, what);
        return registry.Read(bytes, manifest) as T
            ?? throw new MessagePackSerializationException($"Manifest '{manifest}' is not {what}.");
    }
}
