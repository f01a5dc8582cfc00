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

    /// <summary>A new, empty vault of the store under test; the test class disposes it.</summary>
    protected abstract Vault CreateVault(FakeTimeProvider clock);

    public virtual void Dispose()
    {
        _host?.Dispose();
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
    private readonly List<Vault> _vaults = [];

    protected override Vault CreateVault(FakeTimeProvider clock)
    {
        var vault = Vault.CreateInMemory(clock);
        _vaults.Add(vault);
        return vault;
    }

    public override void Dispose()
    {
        base.Dispose();
        _vaults.ForEach(v => v.Dispose());
    }

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
    private readonly TempDirectory _temp = new();
    private readonly byte[] _rootKey = TestData.RandomBytes(32);
    private readonly List<Vault> _vaults = [];

    protected override Vault CreateVault(FakeTimeProvider clock)
    {
        using VaultRootKey rootKey = VaultRootKey.FromBytes(_rootKey);
        Vault vault = Vault.OpenSqlite(_temp.Combine($"vault-{_vaults.Count}.db"), rootKey, timeProvider: clock);
        _vaults.Add(vault);
        return vault;
    }

    public override void Dispose()
    {
        base.Dispose();
        _vaults.ForEach(v => v.Dispose());
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }
}

public sealed class PostgreSqlSecretStoreTests : SecretStoreContractTests
{
    private readonly List<Vault> _vaults = [];
    private readonly List<string> _schemas = [];

    protected override Vault CreateVault(FakeTimeProvider clock)
    {
        (Vaultlib.PostgreSql.PostgreSqlVaultStore store, string schema) = PostgreSqlServer.NewStoreAsync(clock).GetAwaiter().GetResult();
        _schemas.Add(schema);
        using VaultRootKey rootKey = VaultRootKey.FromBytes(TestData.RandomBytes(32));
        Vault vault = Vault.Open(store, rootKey, ownsStore: true);
        _vaults.Add(vault);
        return vault;
    }

    public override void Dispose()
    {
        base.Dispose();
        _vaults.ForEach(v => v.Dispose());
        foreach (string schema in _schemas)
        {
            PostgreSqlServer.DropSchemaAsync(schema).GetAwaiter().GetResult();
        }
    }
}
