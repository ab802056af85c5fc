using MessagePack;
using TopGun.Core.Protocol;
using TopGun.Core.Tests.Protocol;
using TopGun.Core.Values;

namespace TopGun.Core.Tests.CrossCheck;

/// <summary>Frames packed by the real msgpackr, as the TS peers build them, decode into the expected typed messages.</summary>
public sealed class MsgpackrToCodecTests(MsgpackrPackedSamples packed) : IClassFixture<MsgpackrPackedSamples>
{
    // Why the other samples' msgpackr bytes differ from ours; everything else is byte-identical.
    private const string UndefinedField = "msgpackr writes the literal's undefined fields, we leave them out";
    private const string CounterStateKeys = "the TS client writes counter state as {positive, negative}, we write {p, n}";
    private const string PingTimestampAsFloat64 = "we write a PING timestamp as float64 always, msgpackr writes the batched PING's timestamp 1 as a fixint";

    private static readonly Dictionary<string, string> NotByteIdentical = new(StringComparer.Ordinal)
    {
        ["AUTH"] = UndefinedField,
        ["OP_BATCH"] = UndefinedField,
        ["QUERY_SUB"] = UndefinedField,
        ["ENTRY_PROCESS"] = UndefinedField,
        ["ENTRY_PROCESS_RESPONSE"] = UndefinedField,
        ["JOURNAL_READ_RESPONSE"] = UndefinedField,
        ["SEARCH_SUB"] = UndefinedField,
        ["COUNTER_SYNC"] = CounterStateKeys,
        ["BATCH"] = PingTimestampAsFloat64,
    };

    public static TheoryData<string> Types()
    {
        var data = new TheoryData<string>();
        foreach (var t in WireCodec.KnownTypes) data.Add(t);
        return data;
    }

    public static TheoryData<string> ByteIdenticalTypes() => new(WireCodec.KnownTypes.Where(t => !NotByteIdentical.ContainsKey(t)));

    public static TheoryData<string, string> NotByteIdenticalTypes()
    {
        var data = new TheoryData<string, string>();
        foreach (var (type, why) in NotByteIdentical) data.Add(type, why);
        return data;
    }

    private Message Decode(string type)
    {
        Assert.True(packed.Frames.TryGetValue(type, out var frame), $"pack-samples.js has no {type} sample");
        Assert.True(WireCodec.Default.TryDecode(new ReadOnlyMemory<byte>(frame), out var message, out var error), error?.ToString());
        return message!;
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void A_msgpackr_frame_of_every_type_decodes_to_the_expected_message(string type)
    {
        var expected = MessageSamples.All.Single(m => m.Type == type);
        Assert.Equal(expected, Decode(type));
    }

    [Theory]
    [MemberData(nameof(ByteIdenticalTypes))]
    public void Messages_whose_key_order_matches_encode_to_msgpackrs_exact_bytes(string type)
    {
        var expected = MessageSamples.All.Single(m => m.Type == type);
        Assert.True(packed.Frames.TryGetValue(type, out var frame), $"pack-samples.js has no {type} sample");
        Assert.Equal(Bytes.ToHex(frame), Bytes.ToHex(WireCodec.Encode(expected)));
    }

    [Theory]
    [MemberData(nameof(NotByteIdenticalTypes))]
    public void The_other_messages_differ_from_msgpackrs_bytes_only_for_their_stated_reason(string type, string why)
    {
        Assert.True(packed.Frames.TryGetValue(type, out var frame), $"pack-samples.js has no {type} sample");
        var ours = WireCodec.Encode(MessageSamples.All.Single(m => m.Type == type));
        Assert.NotEqual(Bytes.ToHex(frame), Bytes.ToHex(ours));
        var theirs = Token.Read(frame);
        var mine = Token.Read(ours);
        Assert.False(mine.HasUndefined(), "our encoder wrote an undefined");
        switch (why)
        {
            case UndefinedField:
                Assert.True(theirs.HasUndefined());
                Assert.Equal(mine, theirs.WithoutUndefined());
                break;
            case CounterStateKeys:
                Assert.False(theirs.HasUndefined());
                Assert.Equal(mine, theirs.RenameKeys(new() { ["positive"] = "p", ["negative"] = "n" }));
                break;
            case PingTimestampAsFloat64:
            {
                var theirFrames = BatchedFrames(frame);
                var ourFrames = BatchedFrames(ours);
                Assert.Equal(theirFrames.Length, ourFrames.Length);
                for (var i = 0; i < ourFrames.Length; i++)
                {
                    if (Bytes.ToHex(ourFrames[i]) == Bytes.ToHex(theirFrames[i])) continue;
                    Assert.True(WireCodec.Default.TryDecode(new ReadOnlyMemory<byte>(ourFrames[i]), out var inner, out _));
                    Assert.IsType<PingMessage>(inner);
                    Assert.Equal(Token.Read(ourFrames[i]), Token.Read(theirFrames[i]).NumbersAs(Token.Read(ourFrames[i])));
                }
                Assert.Equal(mine.Without("data"), theirs.Without("data"));
                break;
            }
            default:
                Assert.Fail("no check for " + why);
                break;
        }
    }

    [Fact]
    public void Every_message_type_is_either_byte_identical_or_has_a_stated_reason_not_to_be()
    {
        Assert.All(NotByteIdentical.Keys, t => Assert.Contains(t, WireCodec.KnownTypes));
        Assert.Equal(WireCodec.KnownTypes.Count(), ByteIdenticalTypes().Count + NotByteIdentical.Count);
        Assert.True(ByteIdenticalTypes().Count > NotByteIdentical.Count);
    }

    /// <summary>The frames inside a BATCH message's data: a uint32 LE count, then each frame as a uint32 LE length and its bytes.</summary>
    private static byte[][] BatchedFrames(byte[] batchFrame)
    {
        var reader = new MessagePackReader(batchFrame);
        var n = reader.ReadMapHeader();
        for (var i = 0; i < n; i++)
        {
            if (reader.ReadString() != "data") { reader.Skip(); continue; }
            var data = System.Buffers.BuffersExtensions.ToArray(reader.ReadBytes()!.Value);
            var count = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(data);
            var frames = new byte[count][];
            var pos = 4;
            for (var f = 0; f < count; f++)
            {
                var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(pos));
                frames[f] = data.AsSpan(pos + 4, length).ToArray();
                pos += 4 + length;
            }
            Assert.Equal(data.Length, pos);
            return frames;
        }
        throw new InvalidOperationException("BATCH frame without data");
    }

    [Fact]
    public void Op_batch_fields_arrive_typed_with_undefined_fields_absent()
    {
        var batch = Assert.IsType<OpBatchMessage>(Decode("OP_BATCH"));
        Assert.Equal(5, batch.Ops.Count);
        Assert.Equal(WriteConcern.Applied, batch.WriteConcern);
        var first = batch.Ops[0];
        Assert.Equal(1700000000123L, first.Record!.Timestamp.Millis);
        Assert.Equal(2, first.Record.Timestamp.Counter);
        Assert.Equal("node-a", first.Record.Timestamp.NodeId);
        Assert.Equal(Value.Of("buy milk"), first.Record.Value["title"]);
        Assert.True(batch.Ops[1].Record!.IsTombstone);
        Assert.Null(batch.Ops[3].Record);
        Assert.Equal("1700000000123:2:node-a", batch.Ops[3].OrTag);
        Assert.Equal(60000L, batch.Ops[4].Record!.TtlMs);
    }

    [Fact]
    public void The_servers_batch_frame_unwraps_into_its_messages()
    {
        var batch = Assert.IsType<BatchMessage>(Decode("BATCH"));
        Assert.Equal([new PingMessage(1), new AuthAckMessage()], batch.Messages.ToArray());
    }

    /// <summary>
    /// A MessagePack value as written: maps keep their key order, scalars keep their exact bytes (and
    /// numbers their value), msgpackr's undefined (fixext 1, type 0) is marked. Two frames are
    /// byte-identical exactly when their tokens are equal, so a test can say why two frames differ.
    /// </summary>
    private abstract record Token
    {
        public static Token Read(byte[] bytes)
        {
            var reader = new MessagePackReader(bytes);
            var token = ReadOne(ref reader, bytes);
            Assert.True(reader.End, "trailing bytes after the frame");
            return token;
        }

        private static Token ReadOne(ref MessagePackReader reader, byte[] bytes)
        {
            switch (reader.NextMessagePackType)
            {
                case MessagePackType.Map:
                {
                    var header = Raw(ref reader, bytes, (ref MessagePackReader r) => r.ReadMapHeader(), out var n);
                    var entries = new List<Entry>(n);
                    for (var i = 0; i < n; i++)
                    {
                        var keyRaw = Raw(ref reader, bytes, (ref MessagePackReader r) => r.ReadString()!, out var key);
                        entries.Add(new Entry(keyRaw, key, ReadOne(ref reader, bytes)));
                    }
                    return new MapToken(header, entries);
                }
                case MessagePackType.Array:
                {
                    var header = Raw(ref reader, bytes, (ref MessagePackReader r) => r.ReadArrayHeader(), out var n);
                    var items = new List<Token>(n);
                    for (var i = 0; i < n; i++) items.Add(ReadOne(ref reader, bytes));
                    return new ArrayToken(header, items);
                }
                case MessagePackType.Integer or MessagePackType.Float:
                {
                    var raw = Raw(ref reader, bytes, (ref MessagePackReader r) => r.NextMessagePackType == MessagePackType.Float ? r.ReadDouble() : r.ReadInt64(), out var value);
                    return new NumberToken(raw, value);
                }
                default:
                {
                    var raw = Raw(ref reader, bytes, (ref MessagePackReader r) => { r.Skip(); return 0; }, out _);
                    return raw == "d40000" ? new UndefinedToken() : new ScalarToken(raw);
                }
            }
        }

        private delegate T ReadFunc<out T>(ref MessagePackReader reader);

        private static string Raw<T>(ref MessagePackReader reader, byte[] bytes, ReadFunc<T> read, out T value)
        {
            var start = (int)reader.Consumed;
            value = read(ref reader);
            return Bytes.ToHex(bytes.AsSpan(start, (int)reader.Consumed - start));
        }

        public Token WithoutUndefined() => this switch
        {
            MapToken m => Map(m.Entries.Where(e => e.Value is not UndefinedToken).Select(e => e with { Value = e.Value.WithoutUndefined() })),
            ArrayToken a => a with { Items = a.Items.Select(i => i.WithoutUndefined()).ToList() },
            _ => this,
        };

        public Token RenameKeys(Dictionary<string, string> renames) => this switch
        {
            MapToken m => Map(m.Entries.Select(e => renames.TryGetValue(e.Key, out var to)
                ? new Entry(Bytes.ToHex(ValueCodec.Serialize(Value.Of(to))), to, e.Value.RenameKeys(renames))
                : e with { Value = e.Value.RenameKeys(renames) })),
            ArrayToken a => a with { Items = a.Items.Select(i => i.RenameKeys(renames)).ToList() },
            _ => this,
        };

        public Token Without(string key) => this is MapToken m ? Map(m.Entries.Where(e => e.Key != key)) : this;

        /// <summary>This token with every number written as in <paramref name="shape"/>, where both hold the same value.</summary>
        public Token NumbersAs(Token shape) => (this, shape) switch
        {
            (NumberToken a, NumberToken b) when a.Value.Equals(b.Value) => b,
            (MapToken a, MapToken b) when a.Entries.Count == b.Entries.Count =>
                a with { Entries = a.Entries.Zip(b.Entries, (x, y) => x with { Value = x.Value.NumbersAs(y.Value) }).ToList() },
            (ArrayToken a, ArrayToken b) when a.Items.Count == b.Items.Count =>
                a with { Items = a.Items.Zip(b.Items, (x, y) => x.NumbersAs(y)).ToList() },
            _ => this,
        };

        public bool HasUndefined() => this switch
        {
            MapToken m => m.Entries.Any(e => e.Value.HasUndefined()),
            ArrayToken a => a.Items.Any(i => i.HasUndefined()),
            UndefinedToken => true,
            _ => false,
        };

        // msgpackr writes every map with a map16 header, and so do we.
        private static MapToken Map(IEnumerable<Entry> entries)
        {
            var list = entries.ToList();
            return new MapToken("de" + list.Count.ToString("x4", System.Globalization.CultureInfo.InvariantCulture), list);
        }
    }

    private sealed record Entry(string KeyRaw, string Key, Token Value);

    private sealed record MapToken(string Header, List<Entry> Entries) : Token
    {
        public bool Equals(MapToken? other) => other is not null && Header == other.Header && Entries.SequenceEqual(other.Entries);

        public override int GetHashCode() => Header.GetHashCode(StringComparison.Ordinal);

        public override string ToString() => Header + "{" + string.Join(", ", Entries.Select(e => e.Key + ": " + e.Value)) + "}";
    }

    private sealed record ArrayToken(string Header, List<Token> Items) : Token
    {
        public bool Equals(ArrayToken? other) => other is not null && Header == other.Header && Items.SequenceEqual(other.Items);

        public override int GetHashCode() => Header.GetHashCode(StringComparison.Ordinal);

        public override string ToString() => Header + "[" + string.Join(", ", Items) + "]";
    }

    private sealed record NumberToken(string Raw, double Value) : Token
    {
        public override string ToString() => Raw;
    }

    private sealed record ScalarToken(string Raw) : Token
    {
        public override string ToString() => Raw;
    }

    private sealed record UndefinedToken : Token
    {
        public override string ToString() => "undefined";
    }
}
