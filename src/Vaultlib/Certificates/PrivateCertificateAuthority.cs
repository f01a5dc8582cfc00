using Microsoft.Extensions.Logging;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Storage;

namespace Vaultlib.Certificates;

/// <summary>
/// ACM Private CA for one Region of one account, shared by <see cref="InMemoryPrivateCertificateAuthority"/> and
/// <see cref="VaultPrivateCertificateAuthority"/>, which differ only in the vault their sealed records live in. A thin
/// façade: each method hands its request to the operation of the same name
/// (<c>Certificates/Operations/&lt;Operation&gt;.cs</c>) through the one request pipeline. Thread-safe.
/// </summary>
public abstract class PrivateCertificateAuthority : ICertificateAuthority, IDisposable
{
    private readonly CaTable _table;
    private readonly CallerIdentity? _caller;
    private readonly bool _ownsTable;

    private protected PrivateCertificateAuthority(Vault vault, bool ownsVault, VaultlibOptions? options, TimeProvider? timeProvider, ILoggerFactory? loggerFactory, IAuditSink? auditSink, IdentityPolicyStore? identityPolicies)
    {
        ArgumentNullException.ThrowIfNull(vault);
        _table = new CaTable(vault, ownsVault, options, timeProvider, loggerFactory, auditSink, identityPolicies);
        _ownsTable = true;
    }

    private protected PrivateCertificateAuthority(PrivateCertificateAuthority shared, CallerIdentity caller)
    {
        _table = shared._table;
        _caller = caller;
    }

    /// <summary>The Region and account this service's ARNs name.</summary>
    public VaultlibOptions Options => _table.Options;

    /// <summary>The identity policies of the principals that call this service.</summary>
    public IdentityPolicyStore IdentityPolicies => _table.IdentityPolicies;

    /// <summary>The caller this façade is bound to (see <see cref="AsCaller"/>); null when calls run as the ambient caller or the account root.</summary>
    public CallerIdentity? Caller => _caller;

    internal CaTable Table => _table;

    /// <summary>This service's time-driven work (purging deleted CAs when their restoration period ends), for a <see cref="Scheduling.VaultlibScheduler"/>.</summary>
    public Scheduling.IScheduledWork ScheduledWork => _table;

    /// <summary>
    /// The same service, with every call made as <paramref name="caller"/>, as an AWS client made with that principal's
    /// credentials. Disposing the returned façade does nothing; disposing this service ends both.
    /// </summary>
    public PrivateCertificateAuthority AsCaller(CallerIdentity caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new CallerBound(this, caller);
    }

    /// <inheritdoc/>
    public Task<CreateCertificateAuthorityResponse> CreateCertificateAuthorityAsync(CreateCertificateAuthorityRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.CreateCertificateAuthority.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<DescribeCertificateAuthorityResponse> DescribeCertificateAuthorityAsync(DescribeCertificateAuthorityRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.DescribeCertificateAuthority.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<ListCertificateAuthoritiesResponse> ListCertificateAuthoritiesAsync(ListCertificateAuthoritiesRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.ListCertificateAuthorities.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<GetCertificateAuthorityCsrResponse> GetCertificateAuthorityCsrAsync(GetCertificateAuthorityCsrRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.GetCertificateAuthorityCsr.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<ImportCertificateAuthorityCertificateResponse> ImportCertificateAuthorityCertificateAsync(ImportCertificateAuthorityCertificateRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.ImportCertificateAuthorityCertificate.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<GetCertificateAuthorityCertificateResponse> GetCertificateAuthorityCertificateAsync(GetCertificateAuthorityCertificateRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.GetCertificateAuthorityCertificate.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<IssueCertificateResponse> IssueCertificateAsync(IssueCertificateRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.IssueCertificate.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<GetCertificateResponse> GetCertificateAsync(GetCertificateRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.GetCertificate.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<UpdateCertificateAuthorityResponse> UpdateCertificateAuthorityAsync(UpdateCertificateAuthorityRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.UpdateCertificateAuthority.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<RevokeCertificateResponse> RevokeCertificateAsync(RevokeCertificateRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.RevokeCertificate.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<DeleteCertificateAuthorityResponse> DeleteCertificateAuthorityAsync(DeleteCertificateAuthorityRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.DeleteCertificateAuthority.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<RestoreCertificateAuthorityResponse> RestoreCertificateAuthorityAsync(RestoreCertificateAuthorityRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.RestoreCertificateAuthority.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<TagCertificateAuthorityResponse> TagCertificateAuthorityAsync(TagCertificateAuthorityRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.TagCertificateAuthority.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<UntagCertificateAuthorityResponse> UntagCertificateAuthorityAsync(UntagCertificateAuthorityRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.UntagCertificateAuthority.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<ListTagsResponse> ListTagsAsync(ListTagsRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.ListTags.Instance, _table, request, _caller, cancellationToken);

    /// <summary>
    /// The CA's current certificate revocation list (DER), which AWS would write to the CA's S3 bucket and Vaultlib
    /// serves itself (see <c>MapVaultlibCrl</c> in Vaultlib.AspNetCore). A CRL is public, as AWS publishes it, so this
    /// needs no caller's permission.
    /// </summary>
    /// <param name="certificateAuthorityArn">The CA's ARN, or just its id (the CRL's file name without <c>.crl</c>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ResourceNotFoundException">No such CA.</exception>
    /// <exception cref="InvalidStateException">The CA publishes no CRL or has no certificate yet.</exception>
    public async Task<ReadOnlyMemory<byte>> GetCertificateRevocationListAsync(string certificateAuthorityArn, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(certificateAuthorityArn);
        _table.ThrowIfDisposed();
        CaRecord ca = certificateAuthorityArn.StartsWith("arn:", StringComparison.Ordinal)
            ? await _table.ResolveAsync(certificateAuthorityArn, cancellationToken).ConfigureAwait(false)
            : _table.FindById(certificateAuthorityArn) ?? await _table.ResolveAsync(_table.ArnPrefix + certificateAuthorityArn, cancellationToken).ConfigureAwait(false);
        return _table.RevocationLists.Current(ca);
    }

    /// <summary>
    /// Answers an OCSP request (RFC 6960, DER) for the certificates of this service's CAs that answer OCSP: good,
    /// revoked or unknown, signed by the CA (see <c>MapVaultlibOcsp</c> in Vaultlib.AspNetCore). OCSP is public, as
    /// AWS's responder is, so this needs no caller's permission; a malformed request gets an OCSP error response, not
    /// an exception.
    /// </summary>
    /// <param name="request">The DER OCSP request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The DER OCSP response.</returns>
    public async Task<ReadOnlyMemory<byte>> RespondToOcspAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken = default)
    {
        _table.ThrowIfDisposed();
        await _table.CatchUpOnceAsync(cancellationToken).ConfigureAwait(false);
        return CaOcsp.Respond(_table, request.Span);
    }

    /// <summary>Ends the service (not a façade made by <see cref="AsCaller"/>, which shares its owner's).</summary>
    public void Dispose()
    {
        if (_ownsTable)
        {
            _table.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Identity only.</summary>
    public override string ToString() => $"PrivateCertificateAuthority({Options.Region}, {Options.AccountId})";

    private sealed class CallerBound(PrivateCertificateAuthority shared, CallerIdentity caller) : PrivateCertificateAuthority(shared, caller);
}
