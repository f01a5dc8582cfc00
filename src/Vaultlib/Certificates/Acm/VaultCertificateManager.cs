using Microsoft.Extensions.Logging;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Storage;

namespace Vaultlib.Certificates.Acm;

/// <summary>
/// ACM over a <see cref="Vault"/> (an embedded SQLite file, a PostgreSQL database shared by a fleet): every certificate a
/// record sealed under keys derived from the vault's root key, its private key inside and never in plaintext at rest,
/// each change committed before the call returns, and instances sharing the vault following each other's changes and
/// events. Behaves exactly as <see cref="InMemoryCertificateManager"/>.
/// </summary>
/// <param name="vault">The vault; the caller keeps ownership.</param>
/// <param name="options">Region and account.</param>
/// <param name="timeProvider">The clock for validation windows, validity, renewal and expiry.</param>
/// <param name="loggerFactory">Where operation outcomes are logged.</param>
/// <param name="auditSink">Where every call is recorded.</param>
/// <param name="identityPolicies">The callers' IAM identity policies.</param>
/// <param name="settings">The DNS resolver, the mail sender and the Private CA.</param>
/// <exception cref="VaultStoreException">A record fails authentication or disagrees with the vault's manifest.</exception>
public sealed class VaultCertificateManager(Vault vault, VaultlibOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, IAuditSink? auditSink = null, IdentityPolicyStore? identityPolicies = null, CertificateManagerSettings? settings = null)
    : CertificateManager(vault, ownsVault: false, options, timeProvider, loggerFactory, auditSink, identityPolicies, settings);
