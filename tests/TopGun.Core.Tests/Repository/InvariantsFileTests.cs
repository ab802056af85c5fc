using System.Text.RegularExpressions;

namespace TopGun.Core.Tests.Repository;

/// <summary>
/// INVARIANTS.md is only worth something while every test it names exists: a renamed or moved test
/// must take its row along, or the claim silently loses its enforcement.
/// </summary>
public sealed partial class InvariantsFileTests
{
    [Fact]
    public void Every_test_named_in_INVARIANTS_md_exists_under_tests()
    {
        var root = RepositoryRoot();
        var sources = Directory.EnumerateFiles(Path.Combine(root, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(File.ReadAllText)
            .ToList();
        // Each class with the methods declared in its files and the classes it derives from.
        var classes = new Dictionary<string, (HashSet<string> Methods, List<string> Bases)>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            var declared = MethodDeclaration().Matches(source).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
            foreach (Match c in ClassDeclaration().Matches(source))
            {
                if (!classes.TryGetValue(c.Groups[1].Value, out var entry))
                    classes[c.Groups[1].Value] = entry = (new HashSet<string>(StringComparer.Ordinal), []);
                entry.Methods.UnionWith(declared);
                if (c.Groups[2].Success) entry.Bases.AddRange(c.Groups[2].Value.Split(',').Select(b => b.Trim().Split('<')[0]));
            }
        }
        bool Declares(string cls, string method, int depth) =>
            depth < 8 && classes.TryGetValue(cls, out var e) && (e.Methods.Contains(method) || e.Bases.Any(b => Declares(b, method, depth + 1)));

        var named = NamedTests(File.ReadAllLines(Path.Combine(root, "INVARIANTS.md"))).ToList();
        Assert.True(named.Count > 50, $"expected the enforcing tests of every row, found {named.Count} names");
        var missing = named
            .Where(n => !classes.ContainsKey(n.Class) || (n.Method is { } m && m != "*" && !Declares(n.Class, m, 0)))
            .Select(n => $"{n.Class}.{n.Method}")
            .ToList();
        Assert.True(missing.Count == 0, "INVARIANTS.md names tests that do not exist: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_reader_takes_shorthand_rows_and_ignores_prose_cells()
    {
        string[] lines =
        [
            "| Claim | Enforced by |",
            "|---|---|",
            "| A claim with `a.b = on` in its text. | `X/FooTests.Does_this`, `.And_that`, `BarSpec` (all), `BazTests.*` |",
        ];
        Assert.Equal(
            [("FooTests", "Does_this"), ("FooTests", "And_that"), ("BarSpec", null), ("BazTests", "*")],
            NamedTests(lines).Select(n => (n.Class, n.Method)).ToArray());
    }

    /// <summary>The backticked names of the last cell of each table row; <c>.Method</c> continues the previous class.</summary>
    private static IEnumerable<(string Class, string? Method)> NamedTests(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            if (!line.StartsWith('|') || line.StartsWith("|---") || line.StartsWith("| Claim")) continue;
            var cells = line.Trim().Trim('|').Split(" | ");
            string? lastClass = null;
            foreach (Match token in Backticked().Matches(cells[^1]))
            {
                var text = token.Groups[1].Value;
                if (text.StartsWith('.') && lastClass is not null)
                {
                    yield return (lastClass, text[1..]);
                    continue;
                }
                var name = TestName().Match(text);
                if (!name.Success) continue;
                lastClass = name.Groups[1].Value;
                yield return (lastClass, name.Groups[2].Success ? name.Groups[2].Value : null);
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TopGun.Akka.sln"))) return dir.FullName;
        throw new InvalidOperationException("TopGun.Akka.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex Backticked();

    // Optional folder path (`TopGun.Server.Tests/Maps/`), a test class, optionally `.Method` or `.*`.
    [GeneratedRegex(@"^(?:[\w.]+/)*([A-Z]\w*(?:Tests|Spec|Properties|Test))(?:\.(\w+|\*))?$")]
    private static partial Regex TestName();

    [GeneratedRegex(@"\bclass\s+(\w+)(?:<[^>]*>)?(?:\([^)]*\))?(?:\s*:\s*([\w<>, ]+))?")]
    private static partial Regex ClassDeclaration();

    [GeneratedRegex(@"\b(?:void|Task)\s+(\w+)\s*\(")]
    private static partial Regex MethodDeclaration();
}
