using TopGun.Client.Queries;
using TopGun.Core.Values;

namespace TopGun.Client.Tests.Unit;

public sealed class LiveQueryLocalTests
{
    private static async Task<TopGunClient> ClientWithTodos()
    {
        var client = new TopGunClient(TestClients.InMemory());
        var todos = client.GetMap<Todo>("todos");
        todos.Set("t1", new Todo("bread", false));
        todos.Set("t2", new Todo("apples", false));
        todos.Set("t3", new Todo("cheese", true));
        todos.Set("t4", new Todo("dates", false));
        await Task.CompletedTask;
        return client;
    }

    [Fact]
    public async Task Results_come_from_the_local_replica_filtered_and_sorted_while_offline()
    {
        await using var client = await ClientWithTodos();
        using var query = client.Query<Todo>("todos", new { where = new { done = false }, sort = new { text = "asc" } });
        Assert.Equal(["apples", "bread", "dates"], query.Results.Select(t => t.Text));
        Assert.Equal(["t2", "t1", "t4"], query.Rows.Select(r => r.Key));
    }

    [Fact]
    public async Task A_limit_pages_with_the_cursor()
    {
        await using var client = await ClientWithTodos();
        using var first = client.Query<Todo>("todos", new { sort = new { text = "desc" }, limit = 3 });
        Assert.Equal(["dates", "cheese", "bread"], first.Results.Select(t => t.Text));
        Assert.True(first.HasMore);
        using var second = first.NextPage();
        Assert.Equal(["apples"], second.Results.Select(t => t.Text));
        Assert.False(second.HasMore);
    }

    [Fact]
    public async Task Local_writes_enter_update_and_leave_the_result()
    {
        await using var client = await ClientWithTodos();
        using var query = client.Query<Todo>("todos", new { where = new { done = false } });
        var todos = client.GetMap<Todo>("todos");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var changes = query.ChangesAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        for (var i = 0; i < 3; i++)
        {
            Assert.True(await changes.MoveNextAsync());
            Assert.Equal(QueryChangeKind.Enter, changes.Current.Kind);
        }

        todos.Set("t5", new Todo("eggs", false));
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal(new QueryChange<Todo>(QueryChangeKind.Enter, "t5", new Todo("eggs", false)), changes.Current);

        todos.Set("t5", new Todo("brown eggs", false));
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal(new QueryChange<Todo>(QueryChangeKind.Update, "t5", new Todo("brown eggs", false)), changes.Current);

        todos.Set("t5", new Todo("brown eggs", true));
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal((QueryChangeKind.Leave, "t5"), (changes.Current.Kind, changes.Current.Key));

        todos.Remove("t1");
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal((QueryChangeKind.Leave, "t1"), (changes.Current.Kind, changes.Current.Key));
    }

    [Fact]
    public async Task Observers_receive_the_current_page_and_every_new_one()
    {
        await using var client = await ClientWithTodos();
        using var query = client.Query<Todo>("todos", Value.Map(("where", Value.Map(("done", true)))));
        var pages = new List<IReadOnlyList<Todo>>();
        using var _ = query.Subscribe(pages.Add);
        client.GetMap<Todo>("todos").Set("t1", new Todo("bread", true));
        Assert.Equal(2, pages.Count);
        Assert.Equal(["cheese"], pages[0].Select(t => t.Text));
        Assert.Equal(["bread", "cheese"], pages[1].Select(t => t.Text).Order());
    }

    [Fact]
    public async Task A_value_that_does_not_fit_the_type_is_left_out_and_reported()
    {
        await using var client = await ClientWithTodos();
        var errors = new List<ServerError>();
        using var _ = client.Errors.Subscribe(errors.Add);
        using var query = client.Query<Todo>("todos", new { where = new { done = false } });
        client.GetMap("todos").Set("bad", Value.Map(("text", 5.0), ("done", false)));
        Assert.Equal(3, query.Results.Count);
        Assert.Contains(errors, e => e.Kind == "MAPPING" && e.Message.StartsWith("todos/bad"));
        client.GetMap<Todo>("todos").Set("t6", new Todo("figs", false));
        Assert.Equal(4, query.Results.Count);
    }

    [Fact]
    public async Task An_invalid_query_is_refused_with_the_reason()
    {
        await using var client = await ClientWithTodos();
        var error = Assert.Throws<ArgumentException>(() => client.Query<Todo>("todos", Value.Map(("predicate", Value.Map(("op", "nope"))))));
        Assert.Contains("op", error.Message);
    }
}
