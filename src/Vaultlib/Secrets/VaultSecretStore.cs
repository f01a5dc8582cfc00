using Microsoft.Extensions.Logging;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Keys;
using Vaultlib.Storage;

namespace Vaultlib.Secrets;

/// <summary>
/// Secrets Manager over a <see cref="Vault"/> (an embedded SQLite file, a PostgreSQL database shared by a fleet):
/// every secret a record sealed under keys derived from the vault's root key, its values inside only as KMS-wrapped
/// ciphertext, each change committed before the call returns, and instances sharing the vault following each
/// other's changes. Behaves exactly as <see cref="InMemorySecretStore"/>.
/// </summary>
/// <param name="vault">The vault; the caller keeps ownership.</param>
/// <param name="options">Region and account.</param>
/// <param name="timeProvider">The clock for dates and recovery windows.</param>
/// <param name="loggerFactory">Where operation outcomes are logged.</param>
/// <param name="auditSink">Where every call is recorded.</param>
/// <param name="identityPolicies">The callers' IAM identity policies.</param>
/// <param name="rotationFunctions">The rotation functions secrets name (a registry of its own when null; see <see cref="SecretStore.RotationFunctions"/>).</param>
/// <param name="keys">The KMS of the same region and account (normally over the same vault); an in-memory one of its own when null.</param>
/// <exception cref="VaultStoreException">A record fails authentication or disagrees with the vault's manifest.</exception>
public sealed class VaultSecretStore(Vault vault, VaultlibOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, IAuditSink? auditSink = null, IdentityPolicyStore? identityPolicies = null, KeyService? keys = null, SecretRotationFunctions? rotationFunctions = null)
    : SecretStore(vault, ownsVault: false, options, timeProvider, loggerFactory, auditSink, identityPolicies, keys, rotationFunctions);
