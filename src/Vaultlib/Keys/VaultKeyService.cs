using Microsoft.Extensions.Logging;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Storage;

namespace Vaultlib.Keys;

/// <summary>
/// AWS KMS over a <see cref="Vault"/>: durable in an embedded SQLite file
/// (<see cref="Vault.OpenSqlite"/>), shared by a fleet through PostgreSQL (<c>Vaultlib.PostgreSql</c>),
/// or any other <see cref="IVaultStore"/>. Every key, alias and grant is a record sealed under keys
/// derived from the vault's root key; every change is committed before the call returns, and
/// instances sharing the vault see each other's changes through its change feed. Behaves exactly
/// as <see cref="InMemoryKeyService"/>.
/// </summary>
/// <example>
/// <code>
/// using VaultRootKey rootKey = VaultRootKey.FromKeyFile("/run/secrets/vault.key");
/// using Vault vault = Vault.OpenSqlite("/var/lib/myapp/vault.db", rootKey);
/// using var kms = new VaultKeyService(vault);
/// </code>
/// </example>
public sealed class VaultKeyService : KeyService
{
    /// <summary>Opens KMS for the region and account of <paramref name="options"/> in <paramref name="vault"/>; the caller keeps ownership of the vault.</summary>
    /// <param name="vault">The vault; several services and regions may share one.</param>
    /// <param name="options">Region and account; <c>us-east-1</c>, <c>111122223333</c> when null.</param>
    /// <param name="timeProvider">The clock for dates, rotation and deletion windows.</param>
    /// <param name="loggerFactory">Where operation outcomes are logged (ids and error codes only).</param>
    /// <param name="auditSink">Where every call is recorded as a CloudTrail-shaped event; none when null.</param>
    /// <param name="identityPolicies">The callers' IAM identity policies.</param>
    /// <exception cref="VaultStoreException">A record fails authentication or disagrees with the vault's manifest.</exception>
    public VaultKeyService(Vault vault, VaultlibOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, IAuditSink? auditSink = null, IdentityPolicyStore? identityPolicies = null)
        : base(vault, ownsVault: false, options, timeProvider, loggerFactory, auditSink, identityPolicies)
    {
    }
}
