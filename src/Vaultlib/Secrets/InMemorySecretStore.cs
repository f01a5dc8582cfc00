using Microsoft.Extensions.Logging;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Keys;
using Vaultlib.Storage;

namespace Vaultlib.Secrets;

/// <summary>
/// Secrets Manager in memory, for tests of code written against AWS Secrets Manager: the same behaviour as
/// <see cref="VaultSecretStore"/>, with values still encrypted through KMS, and nothing kept after disposal.
/// </summary>
/// <param name="options">Region and account.</param>
/// <param name="timeProvider">The clock for dates and recovery windows.</param>
/// <param name="loggerFactory">Where operation outcomes are logged.</param>
/// <param name="auditSink">Where every call is recorded.</param>
/// <param name="identityPolicies">The callers' IAM identity policies.</param>
/// <param name="rotationFunctions">The rotation functions secrets name (a registry of its own when null; see <see cref="SecretStore.RotationFunctions"/>).</param>
/// <param name="keys">The KMS of the same region and account; an in-memory one of its own when null.</param>
public sealed class InMemorySecretStore(VaultlibOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, IAuditSink? auditSink = null, IdentityPolicyStore? identityPolicies = null, KeyService? keys = null, SecretRotationFunctions? rotationFunctions = null)
    : SecretStore(Vault.CreateInMemory(timeProvider), ownsVault: true, options, timeProvider, loggerFactory, auditSink, identityPolicies, keys, rotationFunctions);
