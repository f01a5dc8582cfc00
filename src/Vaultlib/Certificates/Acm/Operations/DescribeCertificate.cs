using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Acm.Operations;

/// <summary>ACM <c>DescribeCertificate</c>: The certificate's status, domains and their validation, validity, key, usages, renewal and users. Never its private key.</summary>
internal sealed class DescribeCertificate() : CertificateOperation<DescribeCertificateRequest, DescribeCertificateResponse>("DescribeCertificate", readOnly: true)
{
    public static DescribeCertificate Instance { get; } = new();

    protected override string ArnOf(DescribeCertificateRequest request) => request.CertificateArn;

    protected override DescribeCertificateResponse Execute(AcmTable table, DescribeCertificateRequest r, AcmRecord record, RequestContext context) =>
        new() { Certificate = AcmDescriptions.Detail(record) };
}
