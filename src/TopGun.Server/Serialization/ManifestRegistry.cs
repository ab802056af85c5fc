using System.Buffers;
using System.Collections.Frozen;
using MessagePack;

namespace TopGun.Server.Serialization;

/// <summary>
/// Type ↔ manifest table with the codec of each manifest. A manifest names a type *and* a format
/// version ("map.records-merged.v1"): the CLR type can be renamed freely, and a format change adds a
/// new manifest for writing while the old one stays registered as read-only so old journals recover.
/// </summary>
internal sealed class ManifestRegistry
{
    private readonly FrozenDictionary<Type, Entry> _byType;
    private readonly FrozenDictionary<string, Entry> _byManifest;

    private ManifestRegistry(IEnumerable<Entry> entries)
    {
        var list = entries.ToList();
        _byManifest = list.ToFrozenDictionary(e => e.Manifest, StringComparer.Ordinal);
        _byType = list.Where(e => e.Type is not null).ToFrozenDictionary(e => e.Type!);
    }

    public static Builder Create() => new();

    /// <summary>Types this registry writes (read-only legacy manifests excluded).</summary>
    public IReadOnlyCollection<Type> Types => _byType.Keys;

    public IReadOnlyCollection<string> Manifests => _byManifest.Keys;

    public bool TryGetManifest(Type type, out string manifest)
    {
        if (_byType.TryGetValue(type, out var entry))
        {
            manifest = entry.Manifest;
            return true;
        }
        manifest = "";
        return false;
    }

    public string ManifestFor(object message) =>
        TryGetManifest(message.GetType(), out var manifest)
            ? manifest
            : throw new ArgumentException($"No manifest registered for {message.GetType().FullName}; register it in its module's serializer.", nameof(message));

    public byte[] Write(object message)
    {
        if (!_byType.TryGetValue(message.GetType(), out var entry))
            throw new ArgumentException($"No manifest registered for {message.GetType().FullName}; register it in its module's serializer.", nameof(message));
        var buffer = new ArrayBufferWriter<byte>(64);
        var writer = new MessagePackWriter(buffer);
        entry.Write!(ref writer, message);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    public object Read(ReadOnlyMemory<byte> bytes, string manifest)
    {
        if (!_byManifest.TryGetValue(manifest, out var entry))
            throw new System.Runtime.Serialization.SerializationException($"Unknown manifest '{manifest}': written by a newer node, or its reader was removed.");
        var reader = new MessagePackReader(bytes);
        return entry.Read(ref reader);
    }

    private sealed record Entry(string Manifest, Type? Type, MessageWriter<object>? Write, MessageReader<object> Read);

    public sealed class Builder
    {
        private readonly List<Entry> _entries = [];

        /// <summary>Registers the current format of <typeparamref name="T"/>.</summary>
        public Builder Add<T>(string manifest, MessageWriter<T> write, MessageReader<T> read) where T : ITopGunSerializable
        {
            ArgumentNullException.ThrowIfNull(write);
            ArgumentNullException.ThrowIfNull(read);
            if (_entries.Any(e => e.Type == typeof(T)))
                throw new ArgumentException($"{typeof(T).FullName} already has a writing manifest; register old formats with AddLegacy.");
            return AddEntry(new Entry(manifest, typeof(T), (ref MessagePackWriter w, object m) => write(ref w, (T)m), (ref MessagePackReader r) => read(ref r)!));
        }

        /// <summary>Registers a superseded format that is only read (recovery of old events), converting to the current type.</summary>
        public Builder AddLegacy<T>(string manifest, MessageReader<T> read) where T : ITopGunSerializable
        {
            ArgumentNullException.ThrowIfNull(read);
            return AddEntry(new Entry(manifest, null, null, (ref MessagePackReader r) => read(ref r)!));
        }

        public ManifestRegistry Build() => new(_entries);

        private Builder AddEntry(Entry entry)
        {
            if (string.IsNullOrWhiteSpace(entry.Manifest))
                throw new ArgumentException("A manifest must not be empty.");
            if (_entries.Any(e => e.Manifest == entry.Manifest))
                throw new ArgumentException($"Manifest '{entry.Manifest}' is registered twice.");
            _entries.Add(entry);
            return this;
        }
    }
}
