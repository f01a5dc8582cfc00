using System.Text.RegularExpressions;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests;

/// <summary>
/// Every C# snippet of README.md stands verbatim in samples/Vaultlib.Samples.Readme, which the
/// solution build compiles: a README snippet that no longer compiles, or that drifts from the one
/// that does, fails here.
/// </summary>
public sealed partial class ReadmeSnippetTests
{
    [Fact]
    public void Every_README_snippet_is_the_compiled_one()
    {
        string root = RequiredPart.RepositoryRoot();
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        string compiled = File.ReadAllText(Path.Combine(root, "samples", "Vaultlib.Samples.Readme", "Program.cs"));
        string[] snippets = [.. Snippet().Matches(readme).Select(m => Normalize(m.Groups[1].Value))];
        string[] regions = [.. Region().Matches(compiled).Select(m => Normalize(m.Groups[2].Value))];

        Assert.NotEmpty(snippets);
        Assert.Equal(snippets.Length, regions.Length);
        for (int i = 0; i < snippets.Length; i++)
        {
            Assert.Equal(snippets[i], regions[i]);
        }
    }

    private static string Normalize(string code) =>
        string.Join('\n', code.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    [GeneratedRegex("```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex Snippet();

    [GeneratedRegex(@"// README:begin (\w+)\n(.*?)// README:end \1", RegexOptions.Singleline)]
    private static partial Regex Region();
}
