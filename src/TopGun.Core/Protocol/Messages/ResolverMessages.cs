using MessagePack;

namespace TopGun.Core.Protocol;

/// <summary>Which built-in conflict resolver to register; <see cref="Code"/> is the original's JavaScript, never executed here.</summary>
public sealed record ResolverSpec(string Name, string? Code = null, int? Priority = null, string? KeyPattern = null)
{
    internal void Write(ref MessagePackWriter w)
    {
        WireWriter.Map(ref w, 1 + WireWriter.Count(Code is not null) + WireWriter.Count(Priority is not null) + WireWriter.Count(KeyPattern is not null));
        WireWriter.Str(ref w, "name"u8, Name);
        if (Code is not null) WireWriter.Str(ref w, "code"u8, Code);
        if (Priority is { } p) WireWriter.Num(ref w, "priority"u8, p);
        if (KeyPattern is not null) WireWriter.Str(ref w, "keyPattern"u8, KeyPattern);
    }

    internal static ResolverSpec Read(ref WireReader r)
    {
        string? name = null, code = null, pattern = null;
        int? priority = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("name"u8)) name = r.Str("name");
            else if (k.SequenceEqual("code"u8)) code = r.OptStr("code");
            else if (k.SequenceEqual("priority"u8))
            {
                if (r.TryReadNil()) continue;
                var p = r.Int32("priority");
                if (p is < 0 or > 100) throw r.Fail("priority", "expected integer 0..100");
                priority = p;
            }
            else if (k.SequenceEqual("keyPattern"u8)) pattern = r.OptStr("keyPattern");
            else r.Skip();
        }
        return new ResolverSpec(r.Required(name, "name"), code, priority, pattern);
    }
}

/// <summary>One registered resolver in LIST_RESOLVERS_RESPONSE.</summary>
public sealed record ResolverInfo(string MapName, string Name, int? Priority = null, string? KeyPattern = null)
{
    internal void Write(ref MessagePackWriter w)
    {
        WireWriter.Map(ref w, 2 + WireWriter.Count(Priority is not null) + WireWriter.Count(KeyPattern is not null));
        WireWriter.Str(ref w, "mapName"u8, MapName);
        WireWriter.Str(ref w, "name"u8, Name);
        if (Priority is { } p) WireWriter.Num(ref w, "priority"u8, p);
        if (KeyPattern is not null) WireWriter.Str(ref w, "keyPattern"u8, KeyPattern);
    }

    internal static ResolverInfo Read(ref WireReader r)
    {
        string? mapName = null, name = null, pattern = null;
        int? priority = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("mapName"u8)) mapName = r.Str("mapName");
            else if (k.SequenceEqual("name"u8)) name = r.Str("name");
            else if (k.SequenceEqual("priority"u8)) priority = r.TryReadNil() ? null : r.Int32("priority");
            else if (k.SequenceEqual("keyPattern"u8)) pattern = r.OptStr("keyPattern");
            else r.Skip();
        }
        return new ResolverInfo(r.Required(mapName, "mapName"), r.Required(name, "name"), priority, pattern);
    }
}

/// <summary>C→S: register a conflict resolver on a map.</summary>
public sealed record RegisterResolverMessage(string RequestId, string MapName, ResolverSpec Resolver) : Message
{
    public override string Type => MessageTypes.RegisterResolver;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 4, "REGISTER_RESOLVER"u8);
        WireWriter.Str(ref w, "requestId"u8, RequestId);
        WireWriter.Str(ref w, "mapName"u8, MapName);
        WireWriter.Key(ref w, "resolver"u8);
        Resolver.Write(ref w);
    }

    internal static RegisterResolverMessage Read(ref WireReader r)
    {
        string? requestId = null, mapName = null;
        ResolverSpec? resolver = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("requestId"u8)) requestId = r.Str("requestId");
            else if (k.SequenceEqual("mapName"u8)) mapName = r.Str("mapName");
            else if (k.SequenceEqual("resolver"u8))
            {
                r.Enter("resolver");
                resolver = ResolverSpec.Read(ref r);
                r.Leave();
            }
            else r.Skip();
        }
        return new RegisterResolverMessage(r.Required(requestId, "requestId"), r.Required(mapName, "mapName"), r.Required(resolver, "resolver"));
    }
}

/// <summary>C→S: remove a conflict resolver.</summary>
public sealed record UnregisterResolverMessage(string RequestId, string MapName, string ResolverName) : Message
{
    public override string Type => MessageTypes.UnregisterResolver;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 4, "UNREGISTER_RESOLVER"u8);
        WireWriter.Str(ref w, "requestId"u8, RequestId);
        WireWriter.Str(ref w, "mapName"u8, MapName);
        WireWriter.Str(ref w, "resolverName"u8, ResolverName);
    }

    internal static UnregisterResolverMessage Read(ref WireReader r)
    {
        string? requestId = null, mapName = null, resolverName = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("requestId"u8)) requestId = r.Str("requestId");
            else if (k.SequenceEqual("mapName"u8)) mapName = r.Str("mapName");
            else if (k.SequenceEqual("resolverName"u8)) resolverName = r.Str("resolverName");
            else r.Skip();
        }
        return new UnregisterResolverMessage(r.Required(requestId, "requestId"), r.Required(mapName, "mapName"), r.Required(resolverName, "resolverName"));
    }
}

/// <summary>Shared <c>{requestId, success, error?}</c> reply shape.</summary>
internal static class ResolverReplyShape
{
    public static void Write(ref MessagePackWriter w, ReadOnlySpan<byte> type, string requestId, bool success, string? error)
    {
        WireWriter.Begin(ref w, 3 + WireWriter.Count(error is not null), type);
        WireWriter.Str(ref w, "requestId"u8, requestId);
        WireWriter.Bool(ref w, "success"u8, success);
        if (error is not null) WireWriter.Str(ref w, "error"u8, error);
    }

    public static void Read(ref WireReader r, out string requestId, out bool success, out string? error)
    {
        string? id = null, err = null;
        bool? ok = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("requestId"u8)) id = r.Str("requestId");
            else if (k.SequenceEqual("success"u8)) ok = r.Bool("success");
            else if (k.SequenceEqual("error"u8)) err = r.OptStr("error");
            else r.Skip();
        }
        requestId = r.Required(id, "requestId");
        success = r.Required(ok, "success");
        error = err;
    }
}

/// <summary>S→C: outcome of REGISTER_RESOLVER.</summary>
public sealed record RegisterResolverResponseMessage(string RequestId, bool Success, string? Error = null) : Message
{
    public override string Type => MessageTypes.RegisterResolverResponse;

    internal override void Write(ref MessagePackWriter w) => ResolverReplyShape.Write(ref w, "REGISTER_RESOLVER_RESPONSE"u8, RequestId, Success, Error);

    internal static RegisterResolverResponseMessage Read(ref WireReader r)
    {
        ResolverReplyShape.Read(ref r, out var id, out var success, out var error);
        return new RegisterResolverResponseMessage(id, success, error);
    }
}

/// <summary>S→C: outcome of UNREGISTER_RESOLVER.</summary>
public sealed record UnregisterResolverResponseMessage(string RequestId, bool Success, string? Error = null) : Message
{
    public override string Type => MessageTypes.UnregisterResolverResponse;

    internal override void Write(ref MessagePackWriter w) => ResolverReplyShape.Write(ref w, "UNREGISTER_RESOLVER_RESPONSE"u8, RequestId, Success, Error);

    internal static UnregisterResolverResponseMessage Read(ref WireReader r)
    {
        ResolverReplyShape.Read(ref r, out var id, out var success, out var error);
        return new UnregisterResolverResponseMessage(id, success, error);
    }
}

/// <summary>C→S: list resolvers, of one map or all.</summary>
public sealed record ListResolversMessage(string RequestId, string? MapName = null) : Message
{
    public override string Type => MessageTypes.ListResolvers;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2 + WireWriter.Count(MapName is not null), "LIST_RESOLVERS"u8);
        WireWriter.Str(ref w, "requestId"u8, RequestId);
        if (MapName is not null) WireWriter.Str(ref w, "mapName"u8, MapName);
    }

    internal static ListResolversMessage Read(ref WireReader r)
    {
        string? requestId = null, mapName = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("requestId"u8)) requestId = r.Str("requestId");
            else if (k.SequenceEqual("mapName"u8)) mapName = r.OptStr("mapName");
            else r.Skip();
        }
        return new ListResolversMessage(r.Required(requestId, "requestId"), mapName);
    }
}

/// <summary>S→C: the registered resolvers.</summary>
public sealed record ListResolversResponseMessage(string RequestId, WireList<ResolverInfo> Resolvers) : Message
{
    public override string Type => MessageTypes.ListResolversResponse;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 3, "LIST_RESOLVERS_RESPONSE"u8);
        WireWriter.Str(ref w, "requestId"u8, RequestId);
        WireWriter.Key(ref w, "resolvers"u8);
        w.WriteArrayHeader(Resolvers.Count);
        foreach (var info in Resolvers) info.Write(ref w);
    }

    internal static ListResolversResponseMessage Read(ref WireReader r)
    {
        string? requestId = null;
        WireList<ResolverInfo>? resolvers = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("requestId"u8)) requestId = r.Str("requestId");
            else if (k.SequenceEqual("resolvers"u8)) resolvers = WireLists.Read(ref r, "resolvers", ResolverInfo.Read);
            else r.Skip();
        }
        return new ListResolversResponseMessage(r.Required(requestId, "requestId"), r.Required(resolvers, "resolvers"));
    }
}
