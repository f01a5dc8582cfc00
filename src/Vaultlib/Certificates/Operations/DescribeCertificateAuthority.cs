using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Operations;

/// <summary>ACM Private CA <c>DescribeCertificateAuthority</c>: The CA, its state, configuration and certificate dates.</summary>
internal sealed class DescribeCertificateAuthority() : CaOperation<DescribeCertificateAuthorityRequest, DescribeCertificateAuthorityResponse>("DescribeCertificateAuthority", readOnly: true)
{
    public static DescribeCertificateAuthority Instance { get; } = new();

    protected override string ArnOf(DescribeCertificateAuthorityRequest request) => request.CertificateAuthorityArn;

    protected override DescribeCertificateAuthorityResponse Execute(CaTable table, DescribeCertificateAuthorityRequest request, CaRecord resource, RequestContext context) =>
        new() { CertificateAuthority = CaDescriptions.Describe(table, resource) };
}
