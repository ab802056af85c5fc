using MessagePack;

namespace TopGun.Core.Protocol;

/// <summary>PN-counter state as carried on the wire (convert to <see cref="Crdt.PnCounterState"/> to merge): per-node increments (<see cref="P"/>) and decrements (<see cref="N"/>).</summary>
public sealed record CounterStatePayload(WireMap<double> P, WireMap<double> N)
{
    public static readonly CounterStatePayload Empty = new(WireMap<double>.Empty, WireMap<double>.Empty);

    internal void Write(ref MessagePackWriter w)
    {
        WireWriter.Map(ref w, 2);
        WireWriter.NumberMap(ref w, "p"u8, P);
        WireWriter.NumberMap(ref w, "n"u8, N);
    }

    /// <summary>Accepts <c>{p, n}</c> and the TS client's <c>{positive, negative}</c>.</summary>
    internal static CounterStatePayload Read(ref WireReader r, string leaf)
    {
        r.Enter(leaf);
        WireMap<double>? p = null, n = null;
        var count = r.MapHeader();
        for (var i = 0; i < count; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("p"u8)) p = r.NumberMap("p");
            else if (k.SequenceEqual("n"u8)) n = r.NumberMap("n");
            else if (k.SequenceEqual("positive"u8)) p = r.NumberMap("positive");
            else if (k.SequenceEqual("negative"u8)) n = r.NumberMap("negative");
            else r.Skip();
        }
        var state = new CounterStatePayload(r.Required(p, "p"), r.Required(n, "n"));
        r.Leave();
        return state;
    }
}

/// <summary>Shared shape of the counter messages: <c>payload: {name, state?}</c>.</summary>
internal static class CounterShape
{
    public static void Write(ref MessagePackWriter w, ReadOnlySpan<byte> type, string name, CounterStatePayload? state)
    {
        WireWriter.Begin(ref w, 2, type);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, state is null ? 1 : 2);
        WireWriter.Str(ref w, "name"u8, name);
        if (state is null) return;
        WireWriter.Key(ref w, "state"u8);
        state.Write(ref w);
    }

    public static void Read(ref WireReader r, bool needsState, out string name, out CounterStatePayload? state)
    {
        string? nm = null;
        CounterStatePayload? st = null;
        var n = r.Payload();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("name"u8)) nm = r.Str("name");
            else if (needsState && k.SequenceEqual("state"u8)) st = CounterStatePayload.Read(ref r, "state");
            else r.Skip();
        }
        name = r.Required(nm, "name");
        state = needsState ? r.Required(st, "state") : null;
    }
}

/// <summary>C→S: read a counter (and subscribe to its updates).</summary>
public sealed record CounterRequestMessage(string Name) : Message
{
    public override string Type => MessageTypes.CounterRequest;

    internal override void Write(ref MessagePackWriter w) => CounterShape.Write(ref w, "COUNTER_REQUEST"u8, Name, null);

    internal static CounterRequestMessage Read(ref WireReader r)
    {
        CounterShape.Read(ref r, false, out var name, out _);
        return new CounterRequestMessage(name);
    }
}

/// <summary>S→C: a counter's state in reply to COUNTER_REQUEST.</summary>
public sealed record CounterResponseMessage(string Name, CounterStatePayload State) : Message
{
    public override string Type => MessageTypes.CounterResponse;

    internal override void Write(ref MessagePackWriter w) => CounterShape.Write(ref w, "COUNTER_RESPONSE"u8, Name, State);

    internal static CounterResponseMessage Read(ref WireReader r)
    {
        CounterShape.Read(ref r, true, out var name, out var state);
        return new CounterResponseMessage(name, state!);
    }
}

/// <summary>S→C: a subscribed counter changed.</summary>
public sealed record CounterUpdateMessage(string Name, CounterStatePayload State) : Message
{
    public override string Type => MessageTypes.CounterUpdate;

    internal override void Write(ref MessagePackWriter w) => CounterShape.Write(ref w, "COUNTER_UPDATE"u8, Name, State);

    internal static CounterUpdateMessage Read(ref WireReader r)
    {
        CounterShape.Read(ref r, true, out var name, out var state);
        return new CounterUpdateMessage(name, state!);
    }
}

/// <summary>C→S: the client's counter state, max-merged by the server.</summary>
public sealed record CounterSyncMessage(string Name, CounterStatePayload State) : Message
{
    public override string Type => MessageTypes.CounterSync;

    internal override void Write(ref MessagePackWriter w) => CounterShape.Write(ref w, "COUNTER_SYNC"u8, Name, State);

    internal static CounterSyncMessage Read(ref WireReader r)
    {
        CounterShape.Read(ref r, true, out var name, out var state);
        return new CounterSyncMessage(name, state!);
    }
}
