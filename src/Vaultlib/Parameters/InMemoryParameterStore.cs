using Microsoft.Extensions.Logging;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Keys;
using Vaultlib.Storage;

namespace Vaultlib.Parameters;

/// <summary>
/// Parameter Store in process memory: for tests, and as a fake for code written against SSM. SecureStrings
/// are really encrypted, through <paramref name="keys"/> (or a KMS of its own). Nothing survives the process.
/// </summary>
/// <example>
/// <code>
/// using var ssm = new InMemoryParameterStore();
/// await ssm.PutParameterAsync(new PutParameterRequest { Name = "/app/db/password", Value = "hunter2", Type = ParameterType.SecureString });
/// </code>
/// </example>
/// <param name="options">Region and account for ARNs; defaults <c>us-east-1</c>, <c>111122223333</c>.</param>
/// <param name="timeProvider">The clock for dates; <see cref="TimeProvider.System"/> when null.</param>
/// <param name="loggerFactory">Where operation outcomes are logged (names and error codes only).</param>
/// <param name="auditSink">Where every call is recorded as a CloudTrail-shaped event; none when null.</param>
/// <param name="identityPolicies">The callers' IAM identity policies; <paramref name="keys"/>' when null.</param>
/// <param name="keys">The KMS of the same region and account, which encrypts SecureStrings; an in-memory one of its own when null.</param>
public sealed class InMemoryParameterStore(VaultlibOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, IAuditSink? auditSink = null, IdentityPolicyStore? identityPolicies = null, KeyService? keys = null)
    : ParameterStore(Vault.CreateInMemory(timeProvider), ownsVault: true, options, timeProvider, loggerFactory, auditSink, identityPolicies, keys);
