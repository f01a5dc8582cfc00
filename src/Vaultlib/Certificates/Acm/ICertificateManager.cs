namespace Vaultlib.Certificates.Acm;

/// <summary>
/// AWS Certificate Manager (ACM): public certificates issued after domain validation (DNS or email) by the account's
/// local public-like root, private certificates issued by a Private CA, imported certificates, managed renewal and
/// expiry events. Each operation has AWS's name, members, limits and errors; each is documented in
/// <c>Certificates/Acm/Operations/&lt;Operation&gt;.cs</c>.
/// </summary>
public interface ICertificateManager
{
    /// <summary>Requests a certificate.</summary>
    /// <exception cref="ValidationException">A member is malformed.</exception>
    /// <exception cref="LimitExceededException">More than 10 domains.</exception>
    /// <exception cref="InvalidDomainValidationOptionsException">A validation domain is not its domain or a superdomain.</exception>
    Task<RequestCertificateResponse> RequestCertificateAsync(RequestCertificateRequest request, CancellationToken cancellationToken = default);

    /// <summary>Describes a certificate.</summary>
    /// <exception cref="ResourceNotFoundException">No such certificate.</exception>
    Task<DescribeCertificateResponse> DescribeCertificateAsync(DescribeCertificateRequest request, CancellationToken cancellationToken = default);

    /// <summary>Lists certificates.</summary>
    Task<ListCertificatesResponse> ListCertificatesAsync(ListCertificatesRequest request, CancellationToken cancellationToken = default);

    /// <summary>Gets a certificate and its chain.</summary>
    /// <exception cref="RequestInProgressException">Not issued yet.</exception>
    Task<GetCertificateResponse> GetCertificateAsync(GetCertificateRequest request, CancellationToken cancellationToken = default);

    /// <summary>Exports a private certificate with its chain and its encrypted private key.</summary>
    /// <exception cref="ValidationException">Not exportable, or the passphrase is not 4-128 bytes.</exception>
    Task<ExportCertificateResponse> ExportCertificateAsync(ExportCertificateRequest request, CancellationToken cancellationToken = default);

    /// <summary>Imports (or re-imports) a certificate with its private key.</summary>
    /// <exception cref="ValidationException">The key does not match, the certificate is not valid now, or it does not verify up the chain.</exception>
    Task<ImportCertificateResponse> ImportCertificateAsync(ImportCertificateRequest request, CancellationToken cancellationToken = default);

    /// <summary>Renews an eligible private certificate now.</summary>
    Task<RenewCertificateResponse> RenewCertificateAsync(RenewCertificateRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes a certificate.</summary>
    /// <exception cref="ResourceInUseException">A resource uses it.</exception>
    Task<DeleteCertificateResponse> DeleteCertificateAsync(DeleteCertificateRequest request, CancellationToken cancellationToken = default);

    /// <summary>Revokes an exported public certificate.</summary>
    Task<RevokeCertificateResponse> RevokeCertificateAsync(RevokeCertificateRequest request, CancellationToken cancellationToken = default);

    /// <summary>Mails a pending domain's contacts again.</summary>
    /// <exception cref="InvalidStateException">The certificate waits for no validation mail.</exception>
    Task<ResendValidationEmailResponse> ResendValidationEmailAsync(ResendValidationEmailRequest request, CancellationToken cancellationToken = default);

    /// <summary>Adds tags.</summary>
    Task<AddTagsToCertificateResponse> AddTagsToCertificateAsync(AddTagsToCertificateRequest request, CancellationToken cancellationToken = default);

    /// <summary>Removes tags.</summary>
    Task<RemoveTagsFromCertificateResponse> RemoveTagsFromCertificateAsync(RemoveTagsFromCertificateRequest request, CancellationToken cancellationToken = default);

    /// <summary>Lists a certificate's tags.</summary>
    Task<ListTagsForCertificateResponse> ListTagsForCertificateAsync(ListTagsForCertificateRequest request, CancellationToken cancellationToken = default);
}
