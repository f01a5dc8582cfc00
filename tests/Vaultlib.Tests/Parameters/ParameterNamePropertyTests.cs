using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vaultlib.Parameters;

namespace Vaultlib.Tests.Parameters;

/// <summary>A set of valid parameter names in a hierarchy (1-4 levels of a few segment names, so subtrees overlap).</summary>
public sealed record ParameterHierarchy(string[] Names)
{
    public override string ToString() => string.Join(" ", Names);
}

/// <summary>FsCheck generators for parameter names and paths.</summary>
public static class ParameterArbitraries
{
    private static readonly Gen<string> s_segment = Gen.Elements("a", "b", "app", "db", "x.y", "x-y", "x_y", "Prod", "9");

    private static readonly Gen<string> s_name = Gen.Choose(1, 4)
        .SelectMany(n => Gen.ArrayOf(s_segment, n))
        .Select(segments => "/" + string.Join('/', segments));

    public static Arbitrary<ParameterHierarchy> Hierarchy() =>
        Gen.Choose(1, 25).SelectMany(n => Gen.ArrayOf(s_name, n))
            .Select(names => new ParameterHierarchy([.. names.Distinct(StringComparer.Ordinal)]))
            .ToArbitrary();
}

/// <summary>
/// Any valid hierarchy round-trips through PutParameter, GetParametersByPath and DeleteParameter, and
/// <c>Recursive</c> returns exactly the subtree (and one level exactly the children) of every path.
/// </summary>
[Properties(Arbitrary = [typeof(ParameterArbitraries)], MaxTest = 60)]
public sealed class ParameterNamePropertyTests
{
    [Property]
    public bool Every_path_returns_exactly_its_subtree_and_its_children_and_deletes_leave_nothing(ParameterHierarchy hierarchy)
    {
        using var ssm = new InMemoryParameterStore();
        foreach (string name in hierarchy.Names)
        {
            ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = name, Type = ParameterType.String }).GetAwaiter().GetResult();
        }

        string[] paths = [.. hierarchy.Names.SelectMany(Prefixes).Distinct(StringComparer.Ordinal)];
        foreach (string path in paths)
        {
            string[] subtree = [.. hierarchy.Names.Where(n => n.StartsWith(path + "/", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
            string[] children = [.. subtree.Where(n => !n[(path.Length + 1)..].Contains('/', StringComparison.Ordinal))];
            if (!ByPath(ssm, path, recursive: true).SequenceEqual(subtree) || !ByPath(ssm, path, recursive: false).SequenceEqual(children))
            {
                return false;
            }
        }

        bool valuesRoundTrip = hierarchy.Names.All(n => ssm.GetParameterAsync(new GetParameterRequest { Name = n }).GetAwaiter().GetResult().Parameter.Value == n);
        foreach (string name in hierarchy.Names)
        {
            ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = name }).GetAwaiter().GetResult();
        }

        return valuesRoundTrip && ByPath(ssm, "/", recursive: true).Length == 0;
    }

    private static IEnumerable<string> Prefixes(string name)
    {
        for (int slash = name.IndexOf('/', 1); slash > 0; slash = name.IndexOf('/', slash + 1))
        {
            yield return name[..slash];
        }

        yield return name;
    }

    private static string[] ByPath(InMemoryParameterStore ssm, string path, bool recursive)
    {
        var names = new List<string>();
        string? token = null;
        do
        {
            GetParametersByPathResponse page = ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = path, Recursive = recursive, MaxResults = 3, NextToken = token }).GetAwaiter().GetResult();
            names.AddRange(page.Parameters.Select(p => p.Name));
            token = page.NextToken;
        }
        while (token is not null);
        return [.. names];
    }
}
