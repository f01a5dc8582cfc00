namespace Vaultlib.Tests.TestSupport;

/// <summary>
/// A real outside part a test needs (the JavaScript SDK, the openssl command line, a PostgreSQL
/// server). When it is missing, the test is skipped with a loud reason saying what is missing and
/// how to get it; under CI (<c>CI=true</c>), where .ci/run installs every part, it fails instead,
/// so a green CI never hides a skipped test.
/// </summary>
public static class RequiredPart
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Skips (locally) or fails (CI) unless <paramref name="present"/>.</summary>
    public static void Require(bool present, string part, string howToInstall)
    {
        if (present)
        {
            return;
        }

        string reason = $"MISSING PART: {part} is not installed, so this test cannot run. {howToInstall}";
        if (InCi)
        {
            Assert.Fail(reason + " CI installs every part (.ci/run); its absence there is a failure.");
        }

        Skip.If(true, reason);
    }

    /// <summary>The full path of <paramref name="program"/> on PATH; skips (locally) or fails (CI) when there is none.</summary>
    public static string Find(string program, string howToInstall)
    {
        string? found = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
        Require(found is not null, program, howToInstall);
        return found!;
    }

    /// <summary>The repository root (the folder holding Vaultlib.sln).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Vaultlib.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The tests run outside the repository.");
    }
}
