namespace Vaultlib.Tests.TestSupport;

/// <summary>Tests that count measurements on the process-wide <c>Vaultlib</c> meter run alone, so no other test's measurements mix in.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class VaultlibMeterTests
{
    public const string Name = "Vaultlib meter";
}
