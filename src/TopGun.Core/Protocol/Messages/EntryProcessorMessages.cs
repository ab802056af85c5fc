using MessagePack;
using TopGun.Core.Values;

namespace TopGun.Core.Protocol;

/// <summary>Which built-in processor to run; <see cref="Code"/> is the original's JavaScript, never executed here.</summary>
public sealed record EntryProcessorSpec(string Name, string? Code = null, Value? Args = null)
{
    internal void Write(ref MessagePackWriter w)
    {
        WireWriter.Map(ref w, 1 + WireWriter.Count(Code is not null) + WireWriter.Count(Args is not null));
        WireWriter.Str(ref w, "name"u8, Name);
        if (Code is not null) WireWriter.Str(ref w, "code"u8, Code);
        if (Args is not null) WireWriter.Any(ref w, "args"u8, Args);
    }

    internal static EntryProcessorSpec Read(ref WireReader r, string leaf)
    {
        r.Enter(leaf);
        string? name = null, code = null;
        Value? args = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("name"u8)) name = r.Str("name");
            else if (k.SequenceEqual("code"u8)) code = r.OptStr("code");
            else if (k.SequenceEqual("args"u8)) args = r.Any("args");
            else r.Skip();
        }
        var spec = new EntryProcessorSpec(r.Required(name, "name"), code, args);
        r.Leave();
        return spec;
    }
}

/// <summary>C→S: run a processor on one key.</summary>
public sealed record EntryProcessMessage(string RequestId, string MapName, string Key, EntryProcessorSpec Processor) : Message
{
    public override string Type => MessageTypes.EntryProcess;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 5, "ENTRY_PROCESS"u8);
        WireWriter.Str(ref w, "requestId"u8, RequestId);
        WireWriter.Str(ref w, "mapName"u8, MapName);
        WireWriter.Str(ref w, "key"u8, Key);
        WireWriter.Key(ref w, "processor"u8);
        Processor.Write(ref w);
    }

    internal static EntryProcessMessage Read(ref WireReader r)
    {
        string? requestId = null, mapName = null, key = null;
        EntryProcessorSpec? processor = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("requestId"u8)) requestId = r.Str("requestId");
            else if (k.SequenceEqual("mapName"u8)) mapName = r.Str("mapName");
            else if (k.SequenceEqual("key"u8)) key = r.Str("key");
            else if (k.SequenceEqual("processor"u8)) processor = EntryProcessorSpec.Read(ref r, "processor");
            else r.Skip();
        }
        return new EntryProcessMessage(r.Required(requestId, "requestId"), r.Required(mapName, "mapName"), r.Required(key, "key"), r.Required(processor, "processor"));
    }
}

/// <summary>C→S: run a processor on several keys.</summary>
public sealed record EntryProcessBatchMessage(string RequestId, string MapName, WireList<string> Keys, EntryProcessorSpec Processor) : Message
{
    public override string Type => MessageTypes.EntryProcessBatch;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 5, "ENTRY_PROCESS_BATCH"u8);
        WireWriter.Str(ref w, "requestId"u8, RequestId);
        WireWriter.Str(ref w, "mapName"u8, MapName);
        WireWriter.StringList(ref w, "keys"u8, Keys);
        WireWriter.Key(ref w, "processor"u8);
        Processor.Write(ref w);
    }

    internal static EntryProcessBatchMessage Read(ref WireReader r)
    {
        string? requestId = null, mapName = null;
        WireList<string>? keys = null;
        EntryProcessorSpec? processor = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("requestId"u8)) requestId = r.Str("requestId");
            else if (k.SequenceEqual("mapName"u8)) mapName = r.Str("mapName");
            else if (k.SequenceEqual("keys"u8)) keys = r.StringList("keys");
            else if (k.SequenceEqual("processor"u8)) processor = EntryProcessorSpec.Read(ref r, "processor");
            else r.Skip();
        }
        return new EntryProcessBatchMessage(r.Required(requestId, "requestId"), r.Required(mapName, "mapName"), r.Required(keys, "keys"), r.Required(processor, "processor"));
    }
}

/// <summary>Outcome of a processor on one key.</summary>
public sealed record EntryProcessResult(bool Success, Value? Result = null, Value? NewValue = null, string? Error = null)
{
    internal int FieldCount => 1 + WireWriter.Count(Result is not null) + WireWriter.Count(NewValue is not null) + WireWriter.Count(Error is not null);

    internal void WriteFields(ref MessagePackWriter w)
    {
        WireWriter.Bool(ref w, "success"u8, Success);
        if (Result is not null) WireWriter.Any(ref w, "result"u8, Result);
        if (NewValue is not null) WireWriter.Any(ref w, "newValue"u8, NewValue);
        if (Error is not null) WireWriter.Str(ref w, "error"u8, Error);
    }

    /// <summary>Reads the fields of an already opened map of <paramref name="count"/> entries.</summary>
    internal static EntryProcessResult ReadFields(ref WireReader r, int count, out string? requestId)
    {
        requestId = null;
        bool? success = null;
        Value? result = null, newValue = null;
        string? error = null;
        for (var i = 0; i < count; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("success"u8)) success = r.Bool("success");
            else if (k.SequenceEqual("result"u8)) result = r.Any("result");
            else if (k.SequenceEqual("newValue"u8)) newValue = r.Any("newValue");
            else if (k.SequenceEqual("error"u8)) error = r.OptStr("error");
            else if (k.SequenceEqual("requestId"u8)) requestId = r.Str("requestId");
            else r.Skip();
        }
        return new EntryProcessResult(r.Required(success, "success"), result, newValue, error);
    }
}

/// <summary>S→C: outcome of ENTRY_PROCESS.</summary>
public sealed record EntryProcessResponseMessage(string RequestId, EntryProcessResult Result) : Message
{
    public override string Type => MessageTypes.EntryProcessResponse;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2 + Result.FieldCount, "ENTRY_PROCESS_RESPONSE"u8);
        WireWriter.Str(ref w, "requestId"u8, RequestId);
        Result.WriteFields(ref w);
    }

    internal static EntryProcessResponseMessage Read(ref WireReader r)
    {
        var n = r.MapHeader();
        var result = EntryProcessResult.ReadFields(ref r, n, out var requestId);
        return new EntryProcessResponseMessage(r.Required(requestId, "requestId"), result);
    }
}

/// <summary>S→C: per-key outcomes of ENTRY_PROCESS_BATCH.</summary>
public sealed record EntryProcessBatchResponseMessage(string RequestId, WireMap<EntryProcessResult> Results) : Message
{
    public override string Type => MessageTypes.EntryProcessBatchResponse;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 3, "ENTRY_PROCESS_BATCH_RESPONSE"u8);
        WireWriter.Str(ref w, "requestId"u8, RequestId);
        WireWriter.Key(ref w, "results"u8);
        WireWriter.Map(ref w, Results.Count);
        foreach (var e in Results)
        {
            w.Write(e.Key);
            WireWriter.Map(ref w, e.Value.FieldCount);
            e.Value.WriteFields(ref w);
        }
    }

    internal static EntryProcessBatchResponseMessage Read(ref WireReader r)
    {
        string? requestId = null;
        WireMap<EntryProcessResult>? results = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("requestId"u8)) requestId = r.Str("requestId");
            else if (k.SequenceEqual("results"u8))
            {
                r.Enter("results");
                var count = r.MapHeader();
                var entries = new List<KeyValuePair<string, EntryProcessResult>>(count);
                for (var j = 0; j < count; j++)
                {
                    var key = r.KeyString();
                    if (r.SkipUndefined()) continue;
                    r.Enter(key);
                    entries.Add(new(key, EntryProcessResult.ReadFields(ref r, r.MapHeader(), out _)));
                    r.Leave();
                }
                r.Leave();
                results = new WireMap<EntryProcessResult>(entries.ToArray());
            }
            else r.Skip();
        }
        return new EntryProcessBatchResponseMessage(r.Required(requestId, "requestId"), r.Required(results, "results"));
    }
}
