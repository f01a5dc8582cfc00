using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Operations;

/// <summary>ACM Private CA <c>GetCertificateAuthorityCertificate</c>: The CA's certificate and the chain above it (none for a root); before its certificate is imported, <see cref="InvalidStateException"/>.</summary>
internal sealed class GetCertificateAuthorityCertificate() : CaOperation<GetCertificateAuthorityCertificateRequest, GetCertificateAuthorityCertificateResponse>("GetCertificateAuthorityCertificate", readOnly: true)
{
    public static GetCertificateAuthorityCertificate Instance { get; } = new();

    protected override string ArnOf(GetCertificateAuthorityCertificateRequest request) => request.CertificateAuthorityArn;

    protected override GetCertificateAuthorityCertificateResponse Execute(CaTable table, GetCertificateAuthorityCertificateRequest request, CaRecord resource, RequestContext context)
    {
        byte[] certificate = resource.Certificate ?? throw new InvalidStateException($"The certificate authority {resource.Arn} has no certificate yet (it is {resource.Status}).");
        return new GetCertificateAuthorityCertificateResponse
        {
            Certificate = CaDescriptions.Pem(certificate),
            CertificateChain = resource.Chain is { Count: > 0 } chain ? CaDescriptions.Pem(chain) : null,
        };
    }
}
