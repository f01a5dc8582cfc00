using Vaultlib.PostgreSql;
using Vaultlib.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps Vaultlib's state in PostgreSQL, shared by every instance of a fleet.</summary>
public static class PostgreSqlVaultlibBuilderExtensions
{
    /// <summary>
    /// Keeps every service's state in the PostgreSQL database of <paramref name="connectionString"/>
    /// (schema created or migrated when the services are first resolved), sealed under the root key
    /// <paramref name="rootKeyFactory"/> gives (used only while the vault opens).
    /// </summary>
    public static IVaultlibBuilder PersistToPostgreSql(this IVaultlibBuilder builder, string connectionString, Func<IServiceProvider, VaultRootKey> rootKeyFactory, PostgreSqlVaultStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentNullException.ThrowIfNull(rootKeyFactory);
        return builder.UseVault(sp =>
        {
            // Service construction is synchronous in the container; opening connects once, at start.
            PostgreSqlVaultStore store = PostgreSqlVaultStore.OpenAsync(connectionString, options, sp.GetService<TimeProvider>()).GetAwaiter().GetResult();
            try
            {
                return Vault.Open(store, rootKeyFactory(sp), ownsStore: true);
            }
            catch
            {
                store.DisposeAsync().AsTask().GetAwaiter().GetResult();
                throw;
            }
        });
    }
}
