namespace Vaultlib.Tests.TestSupport;

/// <summary>
/// Runs one row of a table-driven fact and names the row when it fails. Used instead of <c>[Theory]</c> rows whose
/// arguments contain ':' (ARNs, JSON, dates): Stryker.NET cannot select such rows by name, so a mutant they would
/// kill is reported as surviving (docs/testing.md).
/// </summary>
internal static class TheoryRows
{
    public static void Run(Action row, params object?[] arguments)
    {
        try
        {
            row();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new Xunit.Sdk.XunitException($"Row ({string.Join(", ", arguments.Select(a => a ?? "null"))}): {ex.Message}", ex);
        }
    }
}
