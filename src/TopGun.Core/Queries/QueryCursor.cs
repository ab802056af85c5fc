using System.Buffers.Binary;
using System.Buffers.Text;

namespace TopGun.Core.Queries;

/// <summary>
/// A decoded keyset cursor: the position of the last row of the previous page (its value of every
/// sort field and its key), bound to the query's <see cref="QuerySpec.Fingerprint"/>.
/// </summary>
/// <remarks>
/// The wire form is base64url without padding over a small binary payload: version, issue time,
/// fingerprint, key and sort positions. All sort fields are carried, not only the first, because a
/// keyset on the first field alone skips or repeats rows when a second sort field breaks its ties.
/// It is not signed: a forged cursor can only move the start of a page within a query the client
/// is already allowed to run.
/// </remarks>
public sealed class QueryCursor
{
    /// <summary>How long a cursor is honoured after it was issued.</summary>
    public const long MaxAgeMillis = 10 * 60 * 1000;

    /// <summary>Longest cursor text decoded; sort values are user data, so a cursor is not tiny, but it is bounded.</summary>
    public const int MaxEncodedLength = 64 * 1024;

    private const byte FormatVersion = 1;

    private readonly QueryComparer _comparer;
    private readonly SortKey[] _position;

    private QueryCursor(QueryComparer comparer, SortKey[] position, string lastKey, long issuedAtMillis)
    {
        _comparer = comparer;
        _position = position;
        LastKey = lastKey;
        IssuedAtMillis = issuedAtMillis;
    }

    /// <summary>Key of the last row of the previous page.</summary>
    public string LastKey { get; }

    public long IssuedAtMillis { get; }

    /// <summary>Whether a record sorts strictly after the cursor position, i.e. belongs to a later page.</summary>
    public bool IsAfterCursor(QueryCandidate candidate) =>
        IsAfter(_comparer.KeysOf(candidate.Key, candidate.Value), candidate.Key);

    internal bool IsAfter(SortKey[] keys, string key) => _comparer.Compare(keys, key, _position, LastKey) > 0;

    /// <summary>The cursor that resumes after <paramref name="last"/> for <paramref name="spec"/>.</summary>
    public static string Encode(QuerySpec spec, QueryCandidate last, long nowMillis) =>
        Encode(spec, spec.Comparer.KeysOf(last.Key, last.Value), last.Key, nowMillis);

    internal static string Encode(QuerySpec spec, SortKey[] position, string lastKey, long nowMillis)
    {
        var writer = new PayloadWriter();
        writer.Byte(FormatVersion);
        writer.Int64(nowMillis);
        writer.UInt64(spec.Fingerprint);
        writer.String(lastKey);
        writer.Byte((byte)position.Length);
        foreach (var key in position)
        {
            writer.Byte((byte)key.Rank);
            switch (key.Rank)
            {
                case SortKeyRank.Number:
                case SortKeyRank.Bool:
                    writer.Double(key.Number);
                    break;
                case SortKeyRank.String:
                case SortKeyRank.Structured:
                    writer.String(key.Text!);
                    break;
            }
        }
        return Base64Url.EncodeToString(writer.ToArray());
    }

    /// <summary>
    /// Decodes <paramref name="cursor"/> for <paramref name="spec"/> as of <paramref name="nowMillis"/>.
    /// Returns <see cref="CursorStatus.Valid"/> with the position, or None/Expired/Invalid without one
    /// (the caller then serves the first page). As in TS, an expired cursor reports Expired even if it
    /// also belongs to another query. Scatter-gather: decode once on the coordinator, or pass the
    /// coordinator's clock to every partition, so all sides agree on expiry.
    /// </summary>
    public static CursorStatus TryDecode(string? cursor, QuerySpec spec, long nowMillis, out QueryCursor? position)
    {
        ArgumentNullException.ThrowIfNull(spec);
        position = null;
        if (string.IsNullOrEmpty(cursor)) return CursorStatus.None;
        if (cursor.Length > MaxEncodedLength || !Base64Url.IsValid(cursor)) return CursorStatus.Invalid;

        byte[] payload;
        try
        {
            payload = Base64Url.DecodeFromChars(cursor);
        }
        catch (FormatException)
        {
            return CursorStatus.Invalid;
        }

        if (!TryRead(payload, out var issuedAt, out var fingerprint, out var lastKey, out var keys)) return CursorStatus.Invalid;
        if (nowMillis - issuedAt > MaxAgeMillis) return CursorStatus.Expired;
        // A cursor from far in the future is not one we issued, whatever the clock skew between nodes.
        if (issuedAt - nowMillis > MaxAgeMillis) return CursorStatus.Invalid;
        if (fingerprint != spec.Fingerprint || keys.Length != spec.Sort.Count) return CursorStatus.Invalid;

        position = new QueryCursor(spec.Comparer, keys, lastKey, issuedAt);
        return CursorStatus.Valid;
    }

    private static bool TryRead(ReadOnlySpan<byte> payload, out long issuedAt, out ulong fingerprint, out string lastKey, out SortKey[] keys)
    {
        var reader = new PayloadReader(payload);
        issuedAt = 0;
        fingerprint = 0;
        lastKey = "";
        keys = [];
        if (!reader.Byte(out var version) || version != FormatVersion) return false;
        if (!reader.Int64(out issuedAt) || !reader.UInt64(out fingerprint) || !reader.String(out lastKey)) return false;
        if (!reader.Byte(out var count) || count > QuerySpec.MaxSortFields) return false;
        keys = new SortKey[count];
        for (var i = 0; i < count; i++)
        {
            if (!reader.Byte(out var rank)) return false;
            switch ((SortKeyRank)rank)
            {
                case SortKeyRank.Number:
                case SortKeyRank.Bool:
                    if (!reader.Double(out var number)) return false;
                    keys[i] = new SortKey((SortKeyRank)rank, number, null);
                    break;
                case SortKeyRank.String:
                case SortKeyRank.Structured:
                    if (!reader.String(out var text)) return false;
                    keys[i] = new SortKey((SortKeyRank)rank, 0, text);
                    break;
                case SortKeyRank.Null:
                case SortKeyRank.Missing:
                    keys[i] = new SortKey((SortKeyRank)rank, 0, null);
                    break;
                default:
                    return false;
            }
        }
        return reader.AtEnd;
    }

    /// <summary>Little-endian fields; strings as a length and raw UTF-16 so lone surrogates in keys survive.</summary>
    private sealed class PayloadWriter
    {
        private readonly MemoryStream _stream = new();

        public void Byte(byte b) => _stream.WriteByte(b);

        public void Int64(long v)
        {
            Span<byte> buffer = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(buffer, v);
            _stream.Write(buffer);
        }

        public void UInt64(ulong v) => Int64(unchecked((long)v));

        public void Double(double v) => Int64(BitConverter.DoubleToInt64Bits(v));

        public void String(string s)
        {
            VarUInt((uint)s.Length);
            Span<byte> buffer = stackalloc byte[2];
            foreach (var c in s)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(buffer, c);
                _stream.Write(buffer);
            }
        }

        private void VarUInt(uint v)
        {
            while (v >= 0x80)
            {
                _stream.WriteByte((byte)(v | 0x80));
                v >>= 7;
            }
            _stream.WriteByte((byte)v);
        }

        public byte[] ToArray() => _stream.ToArray();
    }

    private ref struct PayloadReader(ReadOnlySpan<byte> payload)
    {
        private ReadOnlySpan<byte> _rest = payload;

        public readonly bool AtEnd => _rest.IsEmpty;

        public bool Byte(out byte b)
        {
            b = 0;
            if (_rest.IsEmpty) return false;
            b = _rest[0];
            _rest = _rest[1..];
            return true;
        }

        public bool Int64(out long v)
        {
            v = 0;
            if (_rest.Length < 8) return false;
            v = BinaryPrimitives.ReadInt64LittleEndian(_rest);
            _rest = _rest[8..];
            return true;
        }

        public bool UInt64(out ulong v)
        {
            var ok = Int64(out var signed);
            v = unchecked((ulong)signed);
            return ok;
        }

        public bool Double(out double v)
        {
            var ok = Int64(out var bits);
            v = BitConverter.Int64BitsToDouble(bits);
            return ok;
        }

        public bool String(out string s)
        {
            s = "";
            if (!VarUInt(out var length) || length > (uint)_rest.Length / 2) return false;
            var chars = new char[length];
            for (var i = 0; i < chars.Length; i++)
                chars[i] = (char)BinaryPrimitives.ReadUInt16LittleEndian(_rest[(2 * i)..]);
            _rest = _rest[(2 * (int)length)..];
            s = new string(chars);
            return true;
        }

        private bool VarUInt(out uint v)
        {
            v = 0;
            for (var shift = 0; shift < 35; shift += 7)
            {
                if (!Byte(out var b)) return false;
                v |= (uint)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) return true;
            }
            return false;
        }
    }
}
