namespace TopGun.Core.Clock;

/// <summary>Wall-clock milliseconds since the Unix epoch; injectable so tests control time.</summary>
public interface ITimeSource
{
    long NowMillis();
}

public sealed class SystemTimeSource : ITimeSource
{
    public static readonly SystemTimeSource Instance = new();
    public long NowMillis() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}

/// <summary>A settable clock for tests and simulations.</summary>
public sealed class ManualTimeSource(long nowMillis) : ITimeSource
{
    private long _now = nowMillis;
    public long NowMillis() => Interlocked.Read(ref _now);
    public void Set(long millis) => Interlocked.Exchange(ref _now, millis);
    public void Advance(long millis) => Interlocked.Add(ref _now, millis);
}
