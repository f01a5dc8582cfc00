using Microsoft.Extensions.Logging;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Storage;

namespace Vaultlib.Keys;

/// <summary>
/// AWS KMS in process memory: for tests, and as a fake for code written against KMS. Nothing
/// survives the process. Behaves exactly as <see cref="VaultKeyService"/>.
/// </summary>
/// <example>
/// <code>
/// using var kms = new InMemoryKeyService();
/// var key = await kms.CreateKeyAsync(new CreateKeyRequest { Description = "test" });
/// var encrypted = await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyMetadata.KeyId, Plaintext = "secret"u8.ToArray() });
/// </code>
/// </example>
public sealed class InMemoryKeyService : KeyService
{
    /// <summary>Creates an empty key service.</summary>
    /// <param name="options">Region and account for ARNs; defaults <c>us-east-1</c>, <c>111122223333</c>.</param>
    /// <param name="timeProvider">The clock for dates, rotation and deletion windows; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggerFactory">Where operation outcomes are logged (ids and error codes only).</param>
    /// <param name="auditSink">Where every call is recorded as a CloudTrail-shaped event; none when null.</param>
    /// <param name="identityPolicies">The callers' IAM identity policies; none when null (only the account root and principals the key policies name can act).</param>
    public InMemoryKeyService(VaultlibOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, IAuditSink? auditSink = null, IdentityPolicyStore? identityPolicies = null)
        : base(Vault.CreateInMemory(timeProvider), ownsVault: true, options, timeProvider, loggerFactory, auditSink, identityPolicies)
    {
    }
}
