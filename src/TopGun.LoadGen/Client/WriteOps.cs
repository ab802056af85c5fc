using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Values;

namespace TopGun.LoadGen.Client;

/// <summary>LWW PUT ops as a client makes them: a fresh HLC timestamp and a unique op id each.</summary>
public static class WriteOps
{
    /// <summary>A todo-like record value, the shape the codec benchmarks use.</summary>
    public static Value Todo(long n, double? sentAt = null)
    {
        var title = ("title", Value.Of("task " + n));
        var done = ("done", Value.Of(n % 2 == 0));
        var priority = ("priority", Value.Of(n % 5));
        return sentAt is { } at
            ? Value.Map(title, done, priority, ("sentAt", Value.Of(at)))
            : Value.Map(title, done, priority);
    }

    public static ClientOp Put(Hlc clock, string mapName, string key, string opId, Value value)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return new ClientOp(mapName, key, Id: opId, OpType: "PUT", Record: new LwwRecord(value, clock.Now()));
    }
}
