using System.Buffers;

namespace TopGun.Core.Tests.Protocol;

/// <summary>Builds multi-segment sequences, as a pipe reader may hand them over.</summary>
internal static class Segments
{
    public static ReadOnlySequence<byte> Split(byte[] bytes, int segmentLength)
    {
        Segment? first = null, last = null;
        for (var i = 0; i < bytes.Length; i += segmentLength)
        {
            var chunk = bytes.AsMemory(i, Math.Min(segmentLength, bytes.Length - i));
            var seg = new Segment(chunk, last?.RunningIndex + last?.Memory.Length ?? 0);
            if (last is null) first = seg;
            else last.SetNext(seg);
            last = seg;
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }
}
