using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Vaultlib.Storage;

namespace Vaultlib.Tests.TestSupport;

/// <summary>The vaults a service's contract suite runs on, one kind per subclass of the suite; every vault made is disposed with it.</summary>
public abstract class ContractVaults : IDisposable
{
    /// <summary>The vaults made so far.</summary>
    protected List<Vault> Made { get; } = [];

    /// <summary>A new, empty vault of this kind.</summary>
    public abstract Vault Create(FakeTimeProvider clock);

    public virtual void Dispose()
    {
        Made.ForEach(v => v.Dispose());
        GC.SuppressFinalize(this);
    }
}

/// <summary>In-memory vaults.</summary>
public sealed class InMemoryContractVaults : ContractVaults
{
    public override Vault Create(FakeTimeProvider clock)
    {
        var vault = Vault.CreateInMemory(clock);
        Made.Add(vault);
        return vault;
    }
}

/// <summary>SQLite files in a temporary directory, under one root key.</summary>
public sealed class SqliteContractVaults : ContractVaults
{
    private readonly TempDirectory _temp = new();
    private readonly byte[] _rootKey = TestData.RandomBytes(32);

    public override Vault Create(FakeTimeProvider clock)
    {
        using VaultRootKey rootKey = VaultRootKey.FromBytes(_rootKey);
        Vault vault = Vault.OpenSqlite(_temp.Combine($"vault-{Made.Count}.db"), rootKey, timeProvider: clock);
        Made.Add(vault);
        return vault;
    }

    public override void Dispose()
    {
        base.Dispose();
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }
}

/// <summary>Schemas of the PostgreSQL server the tests run against, dropped afterwards.</summary>
public sealed class PostgreSqlContractVaults : ContractVaults
{
    private readonly List<string> _schemas = [];

    public override Vault Create(FakeTimeProvider clock)
    {
        (Vaultlib.PostgreSql.PostgreSqlVaultStore store, string schema) = PostgreSqlServer.NewStoreAsync(clock).GetAwaiter().GetResult();
        _schemas.Add(schema);
        using VaultRootKey rootKey = VaultRootKey.FromBytes(TestData.RandomBytes(32));
        Vault vault = Vault.Open(store, rootKey, ownsStore: true);
        Made.Add(vault);
        return vault;
    }

    public override void Dispose()
    {
        base.Dispose();
        foreach (string schema in _schemas)
        {
            PostgreSqlServer.DropSchemaAsync(schema).GetAwaiter().GetResult();
        }
    }
}
