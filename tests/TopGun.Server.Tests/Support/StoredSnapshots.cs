using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit;

namespace TopGun.Server.Tests.Support;

/// <summary>
/// Direct access to a system's default snapshot store and journal, to prove a recovery really starts from a
/// snapshot: wait for the snapshot, then delete every event it covers, so a full replay could not rebuild the state.
/// </summary>
public static class StoredSnapshots
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>The latest snapshot of <paramref name="persistenceId"/>, once one at or past <paramref name="atLeastSequenceNr"/> is stored.</summary>
    public static async Task<SelectedSnapshot> AwaitLatestAsync(ActorSystem system, string persistenceId, long atLeastSequenceNr)
    {
        var store = Persistence.Instance.Apply(system).SnapshotStoreFor(null);
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var result = await store.Ask<LoadSnapshotResult>(new LoadSnapshot(persistenceId, SnapshotSelectionCriteria.Latest, long.MaxValue), Timeout);
            if (result.Snapshot is { } snapshot && snapshot.Metadata.SequenceNr >= atLeastSequenceNr) return snapshot;
            if (DateTime.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException($"No snapshot of {persistenceId} at sequence nr {atLeastSequenceNr} or later within {Timeout} (latest: {result.Snapshot?.Metadata.SequenceNr.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}).");
            await Task.Delay(50);
        }
    }

    /// <summary>Deletes the journaled events 1..<paramref name="toSequenceNr"/> of <paramref name="persistenceId"/>.</summary>
    public static void DeleteEventsUpTo(ActorSystem system, TestKitBase kit, string persistenceId, long toSequenceNr)
    {
        var probe = kit.CreateTestProbe();
        Persistence.Instance.Apply(system).JournalFor(null).Tell(new DeleteMessagesTo(persistenceId, toSequenceNr, probe.Ref));
        var reply = probe.ExpectMsg<object>(Timeout);
        Assert.True(reply is DeleteMessagesSuccess, $"Deleting events of {persistenceId} up to {toSequenceNr} failed: {reply}");
    }
}
