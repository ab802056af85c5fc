using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace TopGun.Server.Tests.Maps;

/// <summary>
/// In-memory journal whose writes a test can hold back (per persistence id, until a gate opens) or
/// fail (persistence ids containing "doomed"), to observe what a partition does meanwhile. Recovery of
/// persistence ids containing "unreadable" fails while <see cref="Unreadable"/> is set, as with a database that is down.
/// </summary>
public sealed class ControlledJournal : MemoryJournal
{
    public static readonly ConcurrentDictionary<string, TaskCompletionSource> Gates = new();

    /// <summary>Writes that reached a closed gate, per persistence id: a test can wait until the write really is held.</summary>
    public static readonly ConcurrentDictionary<string, int> HeldWrites = new();

    public static volatile bool Unreadable;

    public const string Config = """
        akka.persistence.journal.plugin = "akka.persistence.journal.controlled"
        akka.persistence.journal.controlled.class = "TopGun.Server.Tests.Maps.ControlledJournal, TopGun.Server.Tests"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """;

    public override Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        if (Unreadable && persistenceId.Contains("unreadable", StringComparison.Ordinal)) throw new IOException("The database is down.");
        return base.ReadHighestSequenceNrAsync(persistenceId, fromSequenceNr, cancellationToken);
    }

    protected override async Task<IImmutableList<Exception?>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var writes = messages.ToList();
        foreach (var id in writes.Select(w => w.PersistenceId).Distinct())
        {
            if (id.Contains("doomed", StringComparison.Ordinal)) throw new IOException("The disk is gone.");
            if (Gates.TryGetValue(id, out var gate))
            {
                if (!gate.Task.IsCompleted) HeldWrites.AddOrUpdate(id, 1, (_, n) => n + 1);
                await gate.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        return await base.WriteMessagesAsync(writes, cancellationToken).ConfigureAwait(false);
    }
}
