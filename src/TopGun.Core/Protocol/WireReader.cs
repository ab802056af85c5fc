using System.Globalization;
using MessagePack;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Values;

namespace TopGun.Core.Protocol;

/// <summary>
/// Typed reads over a frame already proven well-formed by <see cref="FrameValidator"/>. Every read
/// names its field so that a type mismatch becomes a <see cref="WireFormatException"/> carrying the
/// full path. Nested objects are entered with <see cref="Enter(string)"/> and left with <see cref="Leave"/>.
/// </summary>
internal ref struct WireReader
{
    private const double MaxSafeInteger = 9007199254740991d;

    public FrameReader Reader;
    public readonly DecodeContext Context;

    public WireReader(FrameReader reader, DecodeContext context)
    {
        Reader = reader;
        Context = context;
    }

    public readonly void Enter(string field) => Context.Push(field);
    public readonly void Enter(int index) => Context.Push(index);
    public readonly void Leave() => Context.Pop();

    public readonly WireFormatException Fail(string? leaf, string reason) => new(Context.Path(leaf), reason);

    public void Skip() => Reader.Skip();

    public bool TryReadNil() => Reader.TryReadNil();

    /// <summary>Skips a JS <c>undefined</c> (fixext1 type 0) so that the field counts as absent.</summary>
    public bool SkipUndefined()
    {
        if (Reader.NextCode != MessagePackCode.FixExt1) return false;
        var peek = Reader.CreatePeekReader();
        var header = peek.ReadExtensionFormatHeader();
        if (header.TypeCode != 0) return false;
        Reader.Skip();
        return true;
    }

    public int MapHeader(string? leaf = null)
    {
        if (Reader.NextMessagePackType != MessagePackType.Map) throw Fail(leaf, "expected object");
        var n = Reader.ReadMapHeader();
        if (n > Context.Limits.MaxCollectionLength) throw Fail(leaf, "object has too many entries");
        return n;
    }

    public int ArrayHeader(string? leaf = null)
    {
        if (Reader.NextMessagePackType != MessagePackType.Array) throw Fail(leaf, "expected array");
        var n = Reader.ReadArrayHeader();
        if (n > Context.Limits.MaxCollectionLength) throw Fail(leaf, "array has too many elements");
        return n;
    }

    /// <summary>The next map key as UTF-8; a non-string key (never a protocol field) reads as empty.</summary>
    public ReadOnlySpan<byte> Key()
    {
        if (Reader.TryReadStringSpan(out var span)) return span;
        Reader.Skip();
        return default;
    }

    /// <summary>The next map key as a string; integer keys become their JS string form, as in a JS object.</summary>
    public string KeyString(string? leaf = null)
    {
        switch (Reader.NextMessagePackType)
        {
            case MessagePackType.String:
                return ValueCodec.ReadString(ref Reader, Context);
            case MessagePackType.Integer:
                return JsNumber.ToString(ReadNumberCore());
            default:
                throw Fail(leaf, "object key must be a string");
        }
    }

    public string Str(string leaf)
    {
        if (Reader.NextMessagePackType != MessagePackType.String) throw Fail(leaf, "expected string");
        return ValueCodec.ReadString(ref Reader, Context);
    }

    /// <summary>An optional string where null counts as absent.</summary>
    public string? OptStr(string leaf) => Reader.TryReadNil() ? null : Str(leaf);

    public double Num(string leaf)
    {
        var t = Reader.NextMessagePackType;
        if (t != MessagePackType.Integer && t != MessagePackType.Float) throw Fail(leaf, "expected number");
        return ReadNumberCore();
    }

    public double? OptNum(string leaf) => Reader.TryReadNil() ? null : Num(leaf);

    /// <summary>A JS number that must be a non-negative integer no larger than 2^53 - 1.</summary>
    public long NonNegInt(string leaf)
    {
        // A positive fixint (counters, small ids) needs none of the double checks.
        var code = Reader.NextCode;
        if (code <= MessagePackCode.MaxFixInt)
        {
            Reader.ReadRaw(1);
            return code;
        }
        var d = Num(leaf);
        if (!(d >= 0 && d <= MaxSafeInteger && Math.Floor(d) == d)) throw Fail(leaf, "expected non-negative integer");
        return (long)d;
    }

    public long? OptNonNegInt(string leaf) => Reader.TryReadNil() ? null : NonNegInt(leaf);

    public int Int32(string leaf)
    {
        var d = Num(leaf);
        if (!(d >= int.MinValue && d <= int.MaxValue && Math.Floor(d) == d)) throw Fail(leaf, "expected 32-bit integer");
        return (int)d;
    }

    public uint UInt32(string leaf)
    {
        var d = Num(leaf);
        if (!(d >= 0 && d <= uint.MaxValue && Math.Floor(d) == d)) throw Fail(leaf, "expected unsigned 32-bit integer");
        return (uint)d;
    }

    public bool Bool(string leaf)
    {
        if (Reader.NextMessagePackType != MessagePackType.Boolean) throw Fail(leaf, "expected boolean");
        return Reader.ReadBoolean();
    }

    public bool? OptBool(string leaf) => Reader.TryReadNil() ? null : Bool(leaf);

    public Value Any(string leaf)
    {
        Enter(leaf);
        var v = ValueCodec.ReadCore(ref Reader, Context, 0) ?? Value.Null;
        Leave();
        return v;
    }

    public WriteConcern Concern(string leaf)
    {
        if (Reader.NextMessagePackType == MessagePackType.String && Reader.TryReadStringSpan(out var span)
            && WriteConcernNames.TryParse(span, out var level))
            return level;
        throw Fail(leaf, "expected one of FIRE_AND_FORGET, MEMORY, APPLIED, REPLICATED, PERSISTED");
    }

    public WriteConcern? OptConcern(string leaf) => Reader.TryReadNil() ? null : Concern(leaf);

    public Timestamp Timestamp(string? leaf)
    {
        if (leaf is not null) Enter(leaf);
        long? millis = null;
        int? counter = null;
        string? nodeId = null;
        var n = MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = Key();
            if (SkipUndefined()) continue;
            if (k.SequenceEqual("millis"u8)) millis = NonNegInt("millis");
            else if (k.SequenceEqual("counter"u8))
            {
                var c = NonNegInt("counter");
                if (c > int.MaxValue) throw Fail("counter", "expected non-negative 32-bit integer");
                counter = (int)c;
            }
            else if (k.SequenceEqual("nodeId"u8)) nodeId = Str("nodeId");
            else Skip();
        }
        var ts = new Timestamp(Required(millis, "millis"), Required(counter, "counter"), Required(nodeId, "nodeId"));
        if (leaf is not null) Leave();
        return ts;
    }

    public Timestamp? OptTimestamp(string leaf) => Reader.TryReadNil() ? null : Timestamp(leaf);

    /// <summary>An LWW record; a null record reads as null (the protocol's "no record").</summary>
    public LwwRecord? LwwRecordOrNull(string? leaf)
    {
        if (Reader.TryReadNil()) return null;
        if (leaf is not null) Enter(leaf);
        Value? value = null;
        Timestamp? ts = null;
        long? ttl = null;
        var n = MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = Key();
            if (SkipUndefined()) continue;
            if (k.SequenceEqual("value"u8)) value = Any("value");
            else if (k.SequenceEqual("timestamp"u8)) ts = Timestamp("timestamp");
            else if (k.SequenceEqual("ttlMs"u8)) ttl = OptNonNegInt("ttlMs");
            else Skip();
        }
        // An absent value is JS undefined, which the TS peers treat like null (a tombstone).
        var record = new LwwRecord(value ?? Value.Null, Required(ts, "timestamp"), ttl);
        if (leaf is not null) Leave();
        return record;
    }

    public LwwRecord LwwRecord(string? leaf) => LwwRecordOrNull(leaf) ?? throw Fail(leaf, "expected object");

    public OrMapRecord? OrRecordOrNull(string? leaf)
    {
        if (Reader.TryReadNil()) return null;
        if (leaf is not null) Enter(leaf);
        Value? value = null;
        Timestamp? ts = null;
        string? tag = null;
        long? ttl = null;
        var n = MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = Key();
            if (SkipUndefined()) continue;
            if (k.SequenceEqual("value"u8)) value = Any("value");
            else if (k.SequenceEqual("timestamp"u8)) ts = Timestamp("timestamp");
            else if (k.SequenceEqual("tag"u8)) tag = Str("tag");
            else if (k.SequenceEqual("ttlMs"u8)) ttl = OptNonNegInt("ttlMs");
            else Skip();
        }
        var record = new OrMapRecord(value ?? Value.Null, Required(ts, "timestamp"), Required(tag, "tag"), ttl);
        if (leaf is not null) Leave();
        return record;
    }

    public OrMapRecord OrRecord(string? leaf) => OrRecordOrNull(leaf) ?? throw Fail(leaf, "expected object");

    public WireList<string> StringList(string leaf)
    {
        Enter(leaf);
        var n = ArrayHeader();
        var items = n == 0 ? [] : new string[n];
        for (var i = 0; i < n; i++)
        {
            if (Reader.NextMessagePackType != MessagePackType.String) throw Fail(null, "[" + i.ToString(CultureInfo.InvariantCulture) + "]: expected string");
            items[i] = ValueCodec.ReadString(ref Reader, Context);
        }
        Leave();
        return new WireList<string>(items);
    }

    /// <summary>A JS object whose values are all numbers.</summary>
    public WireMap<double> NumberMap(string leaf)
    {
        Enter(leaf);
        var n = MapHeader();
        var entries = new List<KeyValuePair<string, double>>(n);
        for (var i = 0; i < n; i++)
        {
            var k = KeyString();
            if (SkipUndefined()) continue;
            entries.Add(new(k, Num(k)));
        }
        Leave();
        return new WireMap<double>(entries.ToArray());
    }

    /// <summary>A JS object whose values are all unsigned 32-bit hashes.</summary>
    public WireMap<uint> HashMap(string leaf)
    {
        Enter(leaf);
        var n = MapHeader();
        var entries = new List<KeyValuePair<string, uint>>(n);
        for (var i = 0; i < n; i++)
        {
            var k = KeyString();
            if (SkipUndefined()) continue;
            entries.Add(new(k, UInt32(k)));
        }
        Leave();
        return new WireMap<uint>(entries.ToArray());
    }

    public readonly T Required<T>(T? value, string leaf) where T : class => value ?? throw Fail(leaf, "required");
    public readonly T Required<T>(T? value, string leaf) where T : struct => value ?? throw Fail(leaf, "required");

    /// <summary>Positions the reader on the value of the top-level <c>payload</c> field and enters it.</summary>
    public bool SeekPayload()
    {
        var n = Reader.ReadMapHeader();
        var found = false;
        FrameReader payload = default;
        for (var i = 0; i < n; i++)
        {
            var k = Key();
            if (SkipUndefined()) continue;
            if (k.SequenceEqual("payload"u8) && Reader.NextCode != MessagePackCode.Nil)
            {
                found = true;
                payload = Reader;
                // Peers write the payload last; then there is nothing after it to look at, and
                // skipping it would walk the whole payload once more before reading it.
                if (i == n - 1) break;
            }
            Reader.Skip();
        }
        if (!found) return false;
        Reader = payload;
        Enter("payload");
        return true;
    }

    /// <summary>Like <see cref="SeekPayload"/> but a missing payload is an error.</summary>
    public int Payload()
    {
        if (!SeekPayload()) throw Fail("payload", "required");
        return MapHeader();
    }

    internal double ReadNumberCore()
    {
        var code = Reader.NextCode;
        return code switch
        {
            MessagePackCode.UInt64 => Reader.ReadUInt64(),
            MessagePackCode.Float32 => Reader.ReadSingle(),
            MessagePackCode.Float64 => Reader.ReadDouble(),
            _ => Reader.ReadInt64(),
        };
    }
}
