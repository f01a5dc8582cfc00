using Microsoft.Extensions.Logging;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Storage;

namespace Vaultlib.Certificates;

/// <summary>
/// ACM Private CA in memory, for tests of code written against AWS Private CA: the same behaviour as
/// <see cref="VaultPrivateCertificateAuthority"/> (real keys, real signatures), with nothing kept after disposal.
/// </summary>
/// <param name="options">Region and account.</param>
/// <param name="timeProvider">The clock for dates and validity.</param>
/// <param name="loggerFactory">Where operation outcomes are logged.</param>
/// <param name="auditSink">Where every call is recorded.</param>
/// <param name="identityPolicies">The callers' IAM identity policies.</param>
public sealed class InMemoryPrivateCertificateAuthority(VaultlibOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, IAuditSink? auditSink = null, IdentityPolicyStore? identityPolicies = null)
    : PrivateCertificateAuthority(Vault.CreateInMemory(timeProvider), ownsVault: true, options, timeProvider, loggerFactory, auditSink, identityPolicies);
