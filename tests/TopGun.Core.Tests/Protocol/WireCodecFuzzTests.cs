using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using TopGun.Core.Protocol;

namespace TopGun.Core.Tests.Protocol;

/// <summary>
/// Hostile input: decoding must always return (never throw, never hang) whatever the bytes. Fixed
/// seeds keep runs reproducible; every decode runs under a watchdog, so one that does not return
/// within <see cref="DecodeLimit"/> fails the test with its input instead of hanging the run.
/// </summary>
public sealed class WireCodecFuzzTests
{
    private static readonly byte[][] Seeds = MessageSamples.All.Select(WireCodec.Encode).ToArray();

    // Generous: a decode of these frames takes microseconds; only a loop or a runaway allocation reaches it.
    private static readonly TimeSpan DecodeLimit = TimeSpan.FromSeconds(1);

    private sealed record InFlight(byte[] Frame, long StartedAt);

    /// <summary>
    /// Runs <paramref name="decode"/> on every frame on a background thread and fails, naming the frame,
    /// as soon as one call has not returned within <see cref="DecodeLimit"/>. A background thread stuck in
    /// a decode does not keep the test process alive.
    /// </summary>
    private static void EachDecodeReturnsInTime(IEnumerable<byte[]> frames, Action<byte[]> decode)
    {
        InFlight? inFlight = null;
        ExceptionDispatchInfo? failure = null;
        var worker = new Thread(() =>
        {
            try
            {
                foreach (var frame in frames)
                {
                    Volatile.Write(ref inFlight, new InFlight(frame, Stopwatch.GetTimestamp()));
                    decode(frame);
                    Volatile.Write(ref inFlight, null);
                }
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }) { IsBackground = true, Name = "decode fuzz" };
        worker.Start();
        while (!worker.Join(TimeSpan.FromMilliseconds(20)))
        {
            var current = Volatile.Read(ref inFlight);
            if (current is not null && Stopwatch.GetElapsedTime(current.StartedAt) > DecodeLimit)
                Assert.Fail($"a decode did not return within {DecodeLimit.TotalSeconds} s; input: {Bytes.ToHex(current.Frame)}");
        }
        failure?.Throw();
    }

    private static void DecodeMustReturn(byte[] frame)
    {
        var ok = WireCodec.Default.TryDecode(new ReadOnlyMemory<byte>(frame), out var message, out var error);
        Assert.True(ok ? message is not null && error is null : message is null && error is not null);
    }

    [Fact]
    public void Random_bytes_never_throw_out_of_decode()
    {
        EachDecodeReturnsInTime(Frames(), DecodeMustReturn);

        static IEnumerable<byte[]> Frames()
        {
            var rng = new Random(20240601);
            for (var i = 0; i < 10_000; i++)
            {
                var frame = new byte[rng.Next(0, 96)];
                rng.NextBytes(frame);
                // Bias towards map/array headers so the fuzzer gets past the first byte often.
                if (frame.Length > 0 && rng.Next(3) == 0) frame[0] = (byte)(0x80 | rng.Next(16));
                yield return frame;
            }
        }
    }

    [Fact]
    public void Mutated_valid_frames_never_throw_out_of_decode()
    {
        var decodedSome = 0;
        EachDecodeReturnsInTime(Frames(), frame =>
        {
            DecodeMustReturn(frame);
            if (WireCodec.Default.TryDecode(new ReadOnlyMemory<byte>(frame), out _, out _)) decodedSome++;
        });
        // The mutations must leave some frames valid, or the fuzzer only exercises the validator.
        Assert.True(decodedSome > 100, $"only {decodedSome} mutated frames decoded");

        static IEnumerable<byte[]> Frames()
        {
            var rng = new Random(424242);
            for (var i = 0; i < 20_000; i++)
            {
                var frame = (byte[])Seeds[rng.Next(Seeds.Length)].Clone();
                switch (rng.Next(4))
                {
                    case 0: // bit flips
                        for (var f = rng.Next(1, 4); f > 0; f--) frame[rng.Next(frame.Length)] ^= (byte)(1 << rng.Next(8));
                        break;
                    case 1: // truncation
                        frame = frame.AsSpan(0, rng.Next(frame.Length)).ToArray();
                        break;
                    case 2: // length-field inflation: overwrite a spot with a huge 32-bit collection header
                    {
                        var at = rng.Next(frame.Length);
                        var header = new byte[] { (byte)(rng.Next(2) == 0 ? 0xdd : 0xdf), 0, 0, 0, 0 };
                        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), (uint)rng.NextInt64(1L << 20, 1L << 32));
                        var grown = new byte[Math.Max(frame.Length, at + header.Length)];
                        frame.CopyTo(grown, 0);
                        header.CopyTo(grown, at);
                        frame = grown;
                        break;
                    }
                    default: // byte replacement
                        for (var f = rng.Next(1, 6); f > 0; f--) frame[rng.Next(frame.Length)] = (byte)rng.Next(256);
                        break;
                }
                yield return frame;
            }
        }
    }

    [Fact]
    public void Mutated_JSON_frames_never_throw_out_of_decode()
    {
        EachDecodeReturnsInTime(Frames(), frame =>
        {
            DecodeMustReturn(frame);
            Assert.True(WireCodec.Default.TryDecodeJson(frame, out var m, out var e) ? m is not null : e is not null);
        });

        static IEnumerable<byte[]> Frames()
        {
            var rng = new Random(777);
            var json = """{"type":"OP_BATCH","payload":{"ops":[{"mapName":"m","key":"k","record":{"value":[1,{"a":null}],"timestamp":{"millis":1,"counter":0,"nodeId":"n"}}}]}}"""u8.ToArray();
            for (var i = 0; i < 5_000; i++)
            {
                var frame = (byte[])json.Clone();
                for (var f = rng.Next(1, 4); f > 0; f--) frame[rng.Next(frame.Length)] = (byte)rng.Next(32, 127);
                yield return frame;
            }
        }
    }
}
