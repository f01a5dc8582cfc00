using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Internal;
using Vaultlib.Storage;

namespace Vaultlib.Certificates.Acm;

/// <summary>
/// ACM for one Region of one account, shared by <see cref="InMemoryCertificateManager"/> and
/// <see cref="VaultCertificateManager"/>, which differ only in the vault their sealed records live in. A thin façade:
/// each AWS method hands its request to the operation of the same name (<c>Certificates/Acm/Operations/&lt;Operation&gt;.cs</c>)
/// through the one request pipeline. The methods AWS does not have (approving a validation mail, marking a certificate
/// in use, serving it from a TLS server) are the local stand-ins for what AWS does outside its API. Thread-safe.
/// </summary>
public abstract class CertificateManager : ICertificateManager, IDisposable
{
    private readonly AcmTable _table;
    private readonly CallerIdentity? _caller;
    private readonly bool _ownsTable;
    private readonly ConcurrentDictionary<string, ServerCertificate> _served = new(StringComparer.Ordinal);

    private protected CertificateManager(Vault vault, bool ownsVault, VaultlibOptions? options, TimeProvider? timeProvider, ILoggerFactory? loggerFactory, IAuditSink? auditSink, IdentityPolicyStore? identityPolicies, CertificateManagerSettings? settings)
    {
        ArgumentNullException.ThrowIfNull(vault);
        _table = new AcmTable(vault, ownsVault, options, timeProvider, loggerFactory, auditSink, identityPolicies, settings);
        _ownsTable = true;
    }

    private protected CertificateManager(CertificateManager shared, CallerIdentity caller)
    {
        _table = shared._table;
        _served = shared._served;
        _caller = caller;
    }

    /// <summary>The Region and account this service's ARNs name.</summary>
    public VaultlibOptions Options => _table.Options;

    /// <summary>The identity policies of the principals that call this service.</summary>
    public IdentityPolicyStore IdentityPolicies => _table.IdentityPolicies;

    /// <summary>The caller this façade is bound to (see <see cref="AsCaller"/>); null when calls run as the ambient caller or the account root.</summary>
    public CallerIdentity? Caller => _caller;

    /// <summary>This service's time-driven work (DNS validation checks, time-outs, renewals, expiry events), for a <see cref="Scheduling.VaultlibScheduler"/>.</summary>
    public Scheduling.IScheduledWork ScheduledWork => _table.Lifecycle;

    internal AcmTable Table => _table;

    /// <summary>The same service, with every call made as <paramref name="caller"/>. Disposing the returned façade does nothing.</summary>
    public CertificateManager AsCaller(CallerIdentity caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new CallerBound(this, caller);
    }

    /// <inheritdoc/>
    public Task<RequestCertificateResponse> RequestCertificateAsync(RequestCertificateRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.RequestCertificate.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<DescribeCertificateResponse> DescribeCertificateAsync(DescribeCertificateRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.DescribeCertificate.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<ListCertificatesResponse> ListCertificatesAsync(ListCertificatesRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.ListCertificates.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<GetCertificateResponse> GetCertificateAsync(GetCertificateRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.GetCertificate.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<ExportCertificateResponse> ExportCertificateAsync(ExportCertificateRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.ExportCertificate.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<ImportCertificateResponse> ImportCertificateAsync(ImportCertificateRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.ImportCertificate.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<RenewCertificateResponse> RenewCertificateAsync(RenewCertificateRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.RenewCertificate.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<DeleteCertificateResponse> DeleteCertificateAsync(DeleteCertificateRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.DeleteCertificate.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<RevokeCertificateResponse> RevokeCertificateAsync(RevokeCertificateRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.RevokeCertificate.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<ResendValidationEmailResponse> ResendValidationEmailAsync(ResendValidationEmailRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.ResendValidationEmail.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<AddTagsToCertificateResponse> AddTagsToCertificateAsync(AddTagsToCertificateRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.AddTagsToCertificate.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<RemoveTagsFromCertificateResponse> RemoveTagsFromCertificateAsync(RemoveTagsFromCertificateRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.RemoveTagsFromCertificate.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<ListTagsForCertificateResponse> ListTagsForCertificateAsync(ListTagsForCertificateRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.ListTagsForCertificate.Instance, _table, request, _caller, cancellationToken);

    /// <summary>
    /// Follows a validation mail's approval link: approves the domain (and every domain validated through the same
    /// validation domain) whose mail carried <paramref name="approvalToken"/>; once every domain is approved the
    /// certificate is issued (or renewed). The token is compared in constant time and never logged.
    /// </summary>
    /// <param name="approvalToken">The token of a <see cref="ValidationEmail"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ResourceNotFoundException">No pending validation has this token.</exception>
    public async Task ApproveDomainValidationAsync(string approvalToken, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(approvalToken);
        _table.ThrowIfDisposed();
        await _table.Lifecycle.ApproveAsync(approvalToken, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records that <paramref name="resource"/> (an ARN, or any name of a server) uses the certificate, as ACM records a
    /// load balancer using it: it shows in <c>InUseBy</c>, makes the certificate eligible for managed renewal, and
    /// makes DeleteCertificate refuse with <see cref="ResourceInUseException"/>.
    /// </summary>
    /// <param name="certificateArn">The certificate.</param>
    /// <param name="resource">The resource that uses it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ResourceNotFoundException">No such certificate.</exception>
    public Task AddInUseByAsync(string certificateArn, string resource, CancellationToken cancellationToken = default) =>
        ChangeInUseAsync(certificateArn, resource, add: true, cancellationToken);

    /// <summary>Records that <paramref name="resource"/> no longer uses the certificate.</summary>
    /// <param name="certificateArn">The certificate.</param>
    /// <param name="resource">The resource.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ResourceNotFoundException">No such certificate.</exception>
    public Task RemoveInUseByAsync(string certificateArn, string resource, CancellationToken cancellationToken = default) =>
        ChangeInUseAsync(certificateArn, resource, add: false, cancellationToken);

    private async Task ChangeInUseAsync(string certificateArn, string resource, bool add, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(resource);
        _table.ThrowIfDisposed();
        AcmRecord record = await _table.ResolveAsync(certificateArn, cancellationToken).ConfigureAwait(false);
        await _table.ChangeAsync(
            record.Id,
            current => current is null ? throw AcmErrors.NotFound(certificateArn)
                : add == current.InUseBy.Contains(resource, StringComparer.Ordinal) ? (current, null, [])
                : (current with { InUseBy = add ? [.. current.InUseBy, resource] : [.. current.InUseBy.Where(r => r != resource)] }, null, []),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The certificate a TLS server should present for <paramref name="hostName"/> now: of the ISSUED certificates (not
    /// revoked at their CA) naming it (a wildcard covers one label) whose private key is here, the one that expires last, with its key
    /// attached and the chain above it. A renewal or re-import is picked up at the next call. The object returned is
    /// cached per certificate version and owned by this service; do not dispose it.
    /// </summary>
    /// <param name="hostName">The host name the client asked for (SNI).</param>
    /// <returns>The certificate, or null when no issued certificate names the host.</returns>
    public ServerCertificate? FindServerCertificate(string hostName)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostName);
        _table.ThrowIfDisposed();
        DateTimeOffset now = _table.Now;
        AcmRecord? best = _table.All
            .Where(r => r.Status == CertificateStatus.ISSUED && r.Certificate is not null && r.NotAfter > now && r.Domains.Any(d => AcmDomains.Serves(d, hostName)) && _table.KeyOf(r.Id) is not null && !_table.Lifecycle.IsRevokedAtCa(r))
            .MaxBy(r => r.NotAfter);
        if (best is null)
        {
            return null;
        }

        if (_served.TryGetValue(best.Id, out ServerCertificate? held) && ReferenceEquals(held.Der, best.Certificate))
        {
            return held;
        }

        using X509Certificate2 bare = X509CertificateLoader.LoadCertificate(best.Certificate!);
        var chain = new X509Certificate2Collection();
        foreach (byte[] der in best.Chain ?? [])
        {
            chain.Add(X509CertificateLoader.LoadCertificate(der));
        }

        var served = new ServerCertificate(best.Arn, AcmKeys.WithKey(bare, _table.KeyOf(best.Id)!), chain, best.Certificate!);
        _served[best.Id] = served;
        return served;
    }

    /// <summary>
    /// The account's local public-like root certificate, which issues the public (AMAZON_ISSUED) certificates, made the
    /// first time it is needed. Tests and development machines that should trust Vaultlib's public certificates trust it.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<X509Certificate2> GetLocalRootCertificateAsync(CancellationToken cancellationToken = default)
    {
        _table.ThrowIfDisposed();
        LocalRoot root = await _table.EnsureRootAsync(cancellationToken).ConfigureAwait(false);
        return X509CertificateLoader.LoadCertificate(root.Certificate.RawData);
    }

    /// <summary>
    /// Calls <paramref name="handler"/> with every <see cref="CertificateManagerEvent"/> of this service (made here or
    /// by another instance sharing the store), in order, on a task of its own.
    /// </summary>
    /// <param name="handler">The subscriber.</param>
    /// <returns>Dispose to unsubscribe.</returns>
    public IDisposable Subscribe(Action<CertificateManagerEvent> handler) => _table.Events.Subscribe(handler);

    /// <summary>Ends the service (not a façade made by <see cref="AsCaller"/>, which shares its owner's).</summary>
    public void Dispose()
    {
        if (_ownsTable)
        {
            _table.Dispose();
            foreach (ServerCertificate served in _served.Values)
            {
                served.Release();
            }

            _served.Clear();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Identity only.</summary>
    public override string ToString() => $"CertificateManager({Options.Region}, {Options.AccountId})";

    private sealed class CallerBound(CertificateManager shared, CallerIdentity caller) : CertificateManager(shared, caller);
}
