namespace TopGun.Server.Tests.Gateway;

/// <summary>Tests that measure the process's managed memory run alone, so other tests' allocations do not blur the bound.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Memory-sensitive gateway tests";
}
