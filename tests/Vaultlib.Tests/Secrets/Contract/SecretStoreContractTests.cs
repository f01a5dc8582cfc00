using Microsoft.Extensions.Time.Testing;
using Vaultlib.Audit;
using Vaultlib.Keys;
using Tag = Vaultlib.Secrets.Tag;
using Vaultlib.Secrets;
using Vaultlib.Storage;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Secrets;

/// <summary>
/// The behaviour every <see cref="ISecretStore"/> must have, as AWS Secrets Manager has it, run against each store
/// (in memory, SQLite, PostgreSQL). One file per AWS operation in this folder.
/// </summary>
public abstract partial class SecretStoreContractTests : IDisposable
{
    private VaultlibHost? _host;
    private Vault? _vault;

    protected FakeTimeProvider Clock { get; } = TestData.NewClock();

    protected InMemoryAuditSink Audit { get; } = new();

    /// <summary>A host over a fresh vault of the store under test: Secrets Manager and KMS of one region, sharing the vault.</summary>
    protected VaultlibHost Host => _host ??= new VaultlibHost(SharedVault, ownsVault: false, timeProvider: Clock, auditSink: Audit);

    /// <summary>The vault <see cref="Host"/> keeps its records in.</summary>
    protected Vault SharedVault => _vault ??= CreateVault(Clock);

    protected SecretStore Sm => Host.Secrets;

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

    /// <summary>A 32-character client request token (a version id) made from <paramref name="n"/>.</summary>
    protected static string Token(int n) => $"token-{n:D26}";

    private Task<CreateSecretResponse> Create(string name, string? value = "s3cr3t", string? token = null, string? keyId = null, IReadOnlyList<Tag>? tags = null, string? description = null) =>
        Sm.CreateSecretAsync(new CreateSecretRequest { Name = name, SecretString = value, ClientRequestToken = token, KmsKeyId = keyId, Tags = tags, Description = description });

    private Task<PutSecretValueResponse> Put(string id, string value, string? token = null, IReadOnlyList<string>? stages = null) =>
        Sm.PutSecretValueAsync(new PutSecretValueRequest { SecretId = id, SecretString = value, ClientRequestToken = token, VersionStages = stages });

    private Task<GetSecretValueResponse> Get(string id, string? versionId = null, string? stage = null) =>
        Sm.GetSecretValueAsync(new GetSecretValueRequest { SecretId = id, VersionId = versionId, VersionStage = stage });
}

public sealed class InMemorySecretStoreTests : SecretStoreContractTests
{
    protected override ContractVaults Vaults { get; } = new InMemoryContractVaults();

    [Fact]
    public async Task A_store_made_on_its_own_encrypts_with_a_KMS_of_its_own()
    {
        using var sm = new InMemorySecretStore(timeProvider: Clock);
        await sm.CreateSecretAsync(new CreateSecretRequest { Name = "alone", SecretString = "s3cr3t" });
        Assert.Equal("s3cr3t", (await sm.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "alone" })).SecretString);
        Assert.Single((await sm.Keys.ListAliasesAsync(new ListAliasesRequest())).Aliases, a => a.AliasName == "alias/aws/secretsmanager");
    }
}

public sealed class SqliteSecretStoreTests : SecretStoreContractTests
{
    protected override ContractVaults Vaults { get; } = new SqliteContractVaults();
}

public sealed class PostgreSqlSecretStoreTests : SecretStoreContractTests
{
    protected override ContractVaults Vaults { get; } = new PostgreSqlContractVaults();
}
