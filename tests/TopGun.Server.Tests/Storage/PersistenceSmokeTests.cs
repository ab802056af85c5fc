using Akka.Actor;
using TopGun.Server.Configuration;
using TopGun.Server.Storage;
using TopGun.Server.Tests.Serialization;
using TopGun.Server.Node;

namespace TopGun.Server.Tests.Storage;

/// <summary>
/// The same journal + snapshot round trip against each storage backend: write, stop the whole
/// ActorSystem, start a fresh one on the same database, recover.
/// </summary>
public abstract class PersistenceSmokeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    protected abstract Task<NodeConfiguration> NodeAsync();

    /// <summary>Journal rows of <paramref name="persistenceId"/> stored with the given serializer id.</summary>
    protected abstract Task<long> CountJournalRowsAsync(string persistenceId, int serializerId);

    [Fact]
    public async Task Events_persisted_before_a_restart_are_recovered_after_it()
    {
        var node = await NodeAsync();
        var id = "notes-" + Guid.NewGuid().ToString("n");

        await WithSystemAsync(node, async system =>
        {
            var taker = system.ActorOf(NoteTaker.Props(id));
            foreach (var text in new[] { "one", "two", "three" })
                await taker.Ask<NoteTaker.Added>(new NoteTaker.Add(text), Timeout);
        });

        var notes = await WithSystemAsync(node, system =>
            system.ActorOf(NoteTaker.Props(id)).Ask<NoteTaker.Notes>(new NoteTaker.Get(), Timeout));

        Assert.Equal(["one", "two", "three"], notes.Texts);
        Assert.False(notes.RecoveredFromSnapshot);
        Assert.Equal(3, await CountJournalRowsAsync(id, TestNotesSerializer.SerializerId));
    }

    [Fact]
    public async Task Recovery_starts_from_the_latest_snapshot_and_replays_later_events()
    {
        var node = await NodeAsync();
        var id = "notes-" + Guid.NewGuid().ToString("n");

        await WithSystemAsync(node, async system =>
        {
            var taker = system.ActorOf(NoteTaker.Props(id));
            await taker.Ask<NoteTaker.Added>(new NoteTaker.Add("before"), Timeout);
            await taker.Ask<NoteTaker.SnapshotTaken>(new NoteTaker.TakeSnapshot(), Timeout);
            await taker.Ask<NoteTaker.Added>(new NoteTaker.Add("after"), Timeout);
        });

        var notes = await WithSystemAsync(node, system =>
            system.ActorOf(NoteTaker.Props(id)).Ask<NoteTaker.Notes>(new NoteTaker.Get(), Timeout));

        Assert.Equal(["before", "after"], notes.Texts);
        Assert.True(notes.RecoveredFromSnapshot);
    }

    private static async Task<T> WithSystemAsync<T>(NodeConfiguration node, Func<ActorSystem, Task<T>> body)
    {
        await StorageBootstrap.PrepareAsync(node.Settings, CancellationToken.None);
        var system = ActorSystem.Create("persistence-smoke", AkkaConfigBuilder.Build(node));
        try
        {
            return await body(system);
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static Task WithSystemAsync(NodeConfiguration node, Func<ActorSystem, Task> body) =>
        WithSystemAsync(node, async system =>
        {
            await body(system);
            return true;
        });
}
