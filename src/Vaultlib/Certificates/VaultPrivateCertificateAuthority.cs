using Microsoft.Extensions.Logging;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Storage;

namespace Vaultlib.Certificates;

/// <summary>
/// ACM Private CA over a <see cref="Vault"/> (an embedded SQLite file, a PostgreSQL database shared by a fleet): every
/// CA a record sealed under keys derived from the vault's root key, its private key inside it and never in plaintext
/// at rest, each issued certificate a record of its own, each change committed before the call returns, and instances
/// sharing the vault following each other's changes. Behaves exactly as <see cref="InMemoryPrivateCertificateAuthority"/>.
/// </summary>
/// <param name="vault">The vault; the caller keeps ownership.</param>
/// <param name="options">Region and account.</param>
/// <param name="timeProvider">The clock for dates and validity.</param>
/// <param name="loggerFactory">Where operation outcomes are logged.</param>
/// <param name="auditSink">Where every call is recorded.</param>
/// <param name="identityPolicies">The callers' IAM identity policies.</param>
/// <exception cref="VaultStoreException">A record fails authentication or disagrees with the vault's manifest.</exception>
public sealed class VaultPrivateCertificateAuthority(Vault vault, VaultlibOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, IAuditSink? auditSink = null, IdentityPolicyStore? identityPolicies = null)
    : PrivateCertificateAuthority(vault, ownsVault: false, options, timeProvider, loggerFactory, auditSink, identityPolicies);
