using Microsoft.Extensions.Logging;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Storage;

namespace Vaultlib.Certificates.Acm;

/// <summary>
/// ACM in memory, for tests of code written against AWS Certificate Manager: the same behaviour as
/// <see cref="VaultCertificateManager"/> (real keys, real signatures, real DNS lookups), with nothing kept after disposal.
/// </summary>
/// <param name="options">Region and account.</param>
/// <param name="timeProvider">The clock for validation windows, validity, renewal and expiry.</param>
/// <param name="loggerFactory">Where operation outcomes are logged.</param>
/// <param name="auditSink">Where every call is recorded.</param>
/// <param name="identityPolicies">The callers' IAM identity policies.</param>
/// <param name="settings">The DNS resolver, the mail sender and the Private CA.</param>
public sealed class InMemoryCertificateManager(VaultlibOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, IAuditSink? auditSink = null, IdentityPolicyStore? identityPolicies = null, CertificateManagerSettings? settings = null)
    : CertificateManager(Vault.CreateInMemory(timeProvider), ownsVault: true, options, timeProvider, loggerFactory, auditSink, identityPolicies, settings);
