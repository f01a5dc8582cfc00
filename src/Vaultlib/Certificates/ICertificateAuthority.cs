namespace Vaultlib.Certificates;

/// <summary>
/// AWS Certificate Manager Private Certificate Authority (ACM Private CA): the operations, members, limits and errors
/// of the AWS API reference, so code written against <c>IAmazonACMPCA</c> ports over with its names. Implemented by
/// <see cref="InMemoryPrivateCertificateAuthority"/> (tests) and <see cref="VaultPrivateCertificateAuthority"/> (durable,
/// over a vault). Every error derives from <see cref="PrivateCaException"/>.
/// </summary>
public interface ICertificateAuthority
{
    /// <summary>Makes a root or subordinate CA with a new key, waiting for its certificate. (AWS <c>CreateCertificateAuthority</c>.)</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<CreateCertificateAuthorityResponse> CreateCertificateAuthorityAsync(CreateCertificateAuthorityRequest request, CancellationToken cancellationToken = default);

    /// <summary>The CA, its state, configuration and certificate dates. (AWS <c>DescribeCertificateAuthority</c>.)</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<DescribeCertificateAuthorityResponse> DescribeCertificateAuthorityAsync(DescribeCertificateAuthorityRequest request, CancellationToken cancellationToken = default);

    /// <summary>The account's CAs, a page at a time. (AWS <c>ListCertificateAuthorities</c>.)</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ListCertificateAuthoritiesResponse> ListCertificateAuthoritiesAsync(ListCertificateAuthoritiesRequest request, CancellationToken cancellationToken = default);

    /// <summary>The CA's certificate signing request. (AWS <c>GetCertificateAuthorityCsr</c>.)</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<GetCertificateAuthorityCsrResponse> GetCertificateAuthorityCsrAsync(GetCertificateAuthorityCsrRequest request, CancellationToken cancellationToken = default);

    /// <summary>Installs the CA's certificate (and chain), making it ACTIVE. (AWS <c>ImportCertificateAuthorityCertificate</c>.)</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ImportCertificateAuthorityCertificateResponse> ImportCertificateAuthorityCertificateAsync(ImportCertificateAuthorityCertificateRequest request, CancellationToken cancellationToken = default);

    /// <summary>The CA's certificate and the chain above it. (AWS <c>GetCertificateAuthorityCertificate</c>.)</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<GetCertificateAuthorityCertificateResponse> GetCertificateAuthorityCertificateAsync(GetCertificateAuthorityCertificateRequest request, CancellationToken cancellationToken = default);

    /// <summary>Signs a CSR under one of AWS's templates. (AWS <c>IssueCertificate</c>.)</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IssueCertificateResponse> IssueCertificateAsync(IssueCertificateRequest request, CancellationToken cancellationToken = default);

    /// <summary>A certificate the CA issued, with its chain. (AWS <c>GetCertificate</c>.)</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<GetCertificateResponse> GetCertificateAsync(GetCertificateRequest request, CancellationToken cancellationToken = default);

    /// <summary>Turns a CA ACTIVE or DISABLED, and replaces its revocation settings. (AWS <c>UpdateCertificateAuthority</c>.)</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<UpdateCertificateAuthorityResponse> UpdateCertificateAuthorityAsync(UpdateCertificateAuthorityRequest request, CancellationToken cancellationToken = default);

    /// <summary>Revokes a certificate the CA issued. (AWS <c>RevokeCertificate</c>.)</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<RevokeCertificateResponse> RevokeCertificateAsync(RevokeCertificateRequest request, CancellationToken cancellationToken = default);

    /// <summary>Marks a disabled or pending CA DELETED, restorable for 7-30 days. (AWS <c>DeleteCertificateAuthority</c>.)</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<DeleteCertificateAuthorityResponse> DeleteCertificateAuthorityAsync(DeleteCertificateAuthorityRequest request, CancellationToken cancellationToken = default);

    /// <summary>Brings a DELETED CA back within its restoration period. (AWS <c>RestoreCertificateAuthority</c>.)</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<RestoreCertificateAuthorityResponse> RestoreCertificateAuthorityAsync(RestoreCertificateAuthorityRequest request, CancellationToken cancellationToken = default);

    /// <summary>Adds tags to a CA. (AWS <c>TagCertificateAuthority</c>.)</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<TagCertificateAuthorityResponse> TagCertificateAuthorityAsync(TagCertificateAuthorityRequest request, CancellationToken cancellationToken = default);

    /// <summary>Removes tags from a CA. (AWS <c>UntagCertificateAuthority</c>.)</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<UntagCertificateAuthorityResponse> UntagCertificateAuthorityAsync(UntagCertificateAuthorityRequest request, CancellationToken cancellationToken = default);

    /// <summary>A CA's tags. (AWS <c>ListTags</c>.)</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ListTagsResponse> ListTagsAsync(ListTagsRequest request, CancellationToken cancellationToken = default);
}
