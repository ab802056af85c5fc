using System.Text.RegularExpressions;

namespace TopGun.Server.Tests.Architecture;

/// <summary>
/// The folders of the server are its modules: a newcomer reads the architecture from them, so dependencies
/// between them must point one way. A folder depends on another when one of its files names the other's
/// namespace (a using, or a qualified name); comments do not count.
/// </summary>
public sealed partial class FolderDependencyTests
{
    [Fact]
    public void No_two_folders_of_the_server_depend_on_each_other_directly_or_through_others()
    {
        var graph = FolderGraph(Path.Combine(RepositoryRoot(), "src", "TopGun.Server"));
        Assert.True(graph.Count > 10, $"expected the server's folders, found {graph.Count}");
        var cycles = Cycles(graph);
        Assert.True(cycles.Count == 0, "folder dependency cycles: " + string.Join("; ", cycles.Select(c => string.Join(" → ", c.Append(c[0])))));
    }

    [Fact]
    public void The_check_finds_a_cycle_through_three_folders_and_none_in_a_chain()
    {
        var cyclic = new Dictionary<string, HashSet<string>>
        {
            ["A"] = ["B"],
            ["B"] = ["C"],
            ["C"] = ["A"],
            ["D"] = ["A"],
        };
        Assert.Equal(["A", "B", "C"], Assert.Single(Cycles(cyclic)).Order(StringComparer.Ordinal));
        var chain = new Dictionary<string, HashSet<string>> { ["A"] = ["B"], ["B"] = ["C"], ["C"] = [] };
        Assert.Empty(Cycles(chain));
    }

    private static Dictionary<string, HashSet<string>> FolderGraph(string server)
    {
        var folders = Directory.GetDirectories(server)
            .Select(Path.GetFileName)
            .Where(f => f is not ("bin" or "obj"))
            .Select(f => f!)
            .ToHashSet(StringComparer.Ordinal);
        var graph = folders.ToDictionary(f => f, _ => new HashSet<string>(StringComparer.Ordinal));
        var code = folders.ToDictionary(
            f => f,
            f => Directory.EnumerateFiles(Path.Combine(server, f), "*.cs", SearchOption.AllDirectories)
                .Select(file => LineComment().Replace(File.ReadAllText(file), ""))
                .ToList());
        // Inside namespace TopGun.Server.X a sibling folder's type can also be named relatively (`Maps.MapSharding`);
        // only names of types that folder declares count, so a property such as `settings.Storage.Kind` does not.
        var declared = folders.ToDictionary(
            f => f,
            f => code[f].SelectMany(c => TypeDeclaration().Matches(c).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal));
        var relative = new Regex(@"(?<![\w.])(" + string.Join("|", folders.Select(Regex.Escape)) + @")\.([A-Z]\w*)");
        foreach (var folder in folders)
        {
            foreach (var text in code[folder])
            {
                foreach (Match reference in NamespaceReference().Matches(text))
                {
                    var target = reference.Groups[1].Value;
                    if (target != folder && folders.Contains(target)) graph[folder].Add(target);
                }
                foreach (Match reference in relative.Matches(text))
                {
                    var target = reference.Groups[1].Value;
                    if (target != folder && declared[target].Contains(reference.Groups[2].Value)) graph[folder].Add(target);
                }
            }
        }
        return graph;
    }

    /// <summary>Strongly connected components with more than one folder (Tarjan).</summary>
    private static List<List<string>> Cycles(IReadOnlyDictionary<string, HashSet<string>> graph)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var cycles = new List<List<string>>();

        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in graph.GetValueOrDefault(v) ?? [])
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                component.Add(member);
            }
            while (member != v);
            if (component.Count > 1) cycles.Add(component);
        }

        foreach (var v in graph.Keys.Order(StringComparer.Ordinal))
            if (!index.ContainsKey(v)) Visit(v);
        return cycles;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TopGun.Akka.sln"))) return dir.FullName;
        throw new InvalidOperationException("TopGun.Akka.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"\b(?:class|record|interface|enum|struct)\s+(\w+)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"\bTopGun\.Server\.(\w+)")]
    private static partial Regex NamespaceReference();
}
