using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Acm.Operations;

/// <summary>ACM <c>GetCertificate</c>: The certificate and the chain above it, as PEM; <see cref="RequestInProgressException"/> before it is issued.</summary>
internal sealed class GetCertificate() : CertificateOperation<GetCertificateRequest, GetCertificateResponse>("GetCertificate", readOnly: true)
{
    public static GetCertificate Instance { get; } = new();

    protected override string ArnOf(GetCertificateRequest request) => request.CertificateArn;

    protected override GetCertificateResponse Execute(AcmTable table, GetCertificateRequest r, AcmRecord record, RequestContext context)
    {
        RequireIssued(record);
        return new GetCertificateResponse { Certificate = CaDescriptions.Pem(record.Certificate!), CertificateChain = record.Chain is { Count: > 0 } chain ? CaDescriptions.Pem(chain) : null };
    }
}
