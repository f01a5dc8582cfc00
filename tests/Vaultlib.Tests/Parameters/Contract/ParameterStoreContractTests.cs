using Microsoft.Extensions.Time.Testing;
using Vaultlib.Audit;
using Vaultlib.Keys;
using Vaultlib.Parameters;
using Vaultlib.Storage;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Parameters;

/// <summary>
/// The behaviour every <see cref="IParameterStore"/> must have, as AWS SSM Parameter Store has it, run
/// against each store (in memory, SQLite, PostgreSQL). One file per AWS operation in this folder.
/// </summary>
public abstract partial class ParameterStoreContractTests : IDisposable
{
    private VaultlibHost? _host;
    private Vault? _vault;

    protected FakeTimeProvider Clock { get; } = TestData.NewClock();

    protected InMemoryAuditSink Audit { get; } = new();

    /// <summary>A host over a fresh vault of the store under test: Parameter Store and KMS of one region, sharing the vault.</summary>
    protected VaultlibHost Host => _host ??= new VaultlibHost(SharedVault, ownsVault: false, timeProvider: Clock, auditSink: Audit);

    /// <summary>The vault <see cref="Host"/> keeps its records in; another host over it is another instance sharing the store.</summary>
    protected Vault SharedVault => _vault ??= CreateVault(Clock);

    protected ParameterStore Ssm => Host.Parameters;

    protected KeyService Kms => Host.Keys;

    /// <summary>The kind of vault under test.</summary>
    protected abstract ContractVaults Vaults { get; }

    /// <summary>A new, empty vault of the store under test; the test class disposes it.</summary>
    protected Vault CreateVault(FakeTimeProvider clock) => Vaults.Create(clock);

    public void Dispose()
    {
        _host?.Dispose();
        Vaults.Dispose();
        GC.SuppressFinalize(this);
    }

    private Task<PutParameterResponse> Put(string name, string value, ParameterType type = ParameterType.String, bool overwrite = false, string? keyId = null, ParameterTier? tier = null) =>
        Ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = value, Type = type, Overwrite = overwrite, KeyId = keyId, Tier = tier });

    private async Task<Parameter> Get(string name, bool decrypt = false) =>
        (await Ssm.GetParameterAsync(new GetParameterRequest { Name = name, WithDecryption = decrypt })).Parameter;
}

public sealed class InMemoryParameterStoreTests : ParameterStoreContractTests
{
    protected override ContractVaults Vaults { get; } = new InMemoryContractVaults();

    [Fact]
    public async Task The_Standard_tier_holds_10000_parameters_per_account_and_region_and_then_only_Advanced_ones_fit()
    {
        using var ssm = new InMemoryParameterStore(timeProvider: Clock);
        for (int i = 0; i < 10_000; i++)
        {
            await ssm.PutParameterAsync(new PutParameterRequest { Name = $"/q/p{i}", Value = "v", Type = ParameterType.String });
        }

        var full = await Assert.ThrowsAsync<ParameterLimitExceededException>(() => ssm.PutParameterAsync(new PutParameterRequest { Name = "/q/one-more", Value = "v", Type = ParameterType.String }));
        Assert.Equal("ParameterLimitExceeded", full.ErrorCode);
        Assert.Equal(2, (await ssm.PutParameterAsync(new PutParameterRequest { Name = "/q/p0", Value = "new version", Type = ParameterType.String, Overwrite = true })).Version);
        await ssm.PutParameterAsync(new PutParameterRequest { Name = "/q/advanced", Value = "v", Type = ParameterType.String, Tier = ParameterTier.Advanced });
        await ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = "/q/p1" });
        await ssm.PutParameterAsync(new PutParameterRequest { Name = "/q/one-more", Value = "v", Type = ParameterType.String });
    }

    [Fact]
    public async Task A_store_made_on_its_own_encrypts_with_a_KMS_of_its_own()
    {
        using var ssm = new InMemoryParameterStore(timeProvider: Clock);
        await ssm.PutParameterAsync(new PutParameterRequest { Name = "/alone", Value = "s3cr3t", Type = ParameterType.SecureString });
        Assert.Equal("s3cr3t", (await ssm.GetParameterAsync(new GetParameterRequest { Name = "/alone", WithDecryption = true })).Parameter.Value);
        Assert.Single((await ssm.Keys.ListAliasesAsync(new ListAliasesRequest())).Aliases, a => a.AliasName == "alias/aws/ssm");
    }
}

public sealed class SqliteParameterStoreTests : ParameterStoreContractTests
{
    protected override ContractVaults Vaults { get; } = new SqliteContractVaults();
}

public sealed class PostgreSqlParameterStoreTests : ParameterStoreContractTests
{
    protected override ContractVaults Vaults { get; } = new PostgreSqlContractVaults();
}
