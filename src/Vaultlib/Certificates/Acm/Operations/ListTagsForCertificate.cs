using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Acm.Operations;

/// <summary>ACM <c>ListTagsForCertificate</c>: The certificate's tags, by key.</summary>
internal sealed class ListTagsForCertificate() : CertificateOperation<ListTagsForCertificateRequest, ListTagsForCertificateResponse>("ListTagsForCertificate", readOnly: true)
{
    public static ListTagsForCertificate Instance { get; } = new();

    protected override string ArnOf(ListTagsForCertificateRequest request) => request.CertificateArn;

    protected override ListTagsForCertificateResponse Execute(AcmTable table, ListTagsForCertificateRequest r, AcmRecord record, RequestContext context) =>
        new() { Tags = record.Tags };
}
