using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Operations;

/// <summary>ACM Private CA <c>GetCertificateAuthorityCsr</c>: The CA's certificate signing request (PEM), for its parent (or, for a root, itself) to sign.</summary>
internal sealed class GetCertificateAuthorityCsr() : CaOperation<GetCertificateAuthorityCsrRequest, GetCertificateAuthorityCsrResponse>("GetCertificateAuthorityCsr", readOnly: true)
{
    public static GetCertificateAuthorityCsr Instance { get; } = new();

    protected override string ArnOf(GetCertificateAuthorityCsrRequest request) => request.CertificateAuthorityArn;

    protected override GetCertificateAuthorityCsrResponse Execute(CaTable table, GetCertificateAuthorityCsrRequest request, CaRecord resource, RequestContext context)
    {
        RequireStatus(resource, CertificateAuthorityStatus.PENDING_CERTIFICATE, CertificateAuthorityStatus.ACTIVE, CertificateAuthorityStatus.DISABLED, CertificateAuthorityStatus.EXPIRED);
        return new GetCertificateAuthorityCsrResponse { Csr = System.Security.Cryptography.PemEncoding.WriteString("CERTIFICATE REQUEST", resource.Csr) };
    }
}
