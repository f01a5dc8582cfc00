using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Operations;

/// <summary>
/// ACM Private CA <c>GetCertificate</c>: A certificate the CA issued (revoked ones too, as AWS returns them) and the
/// chain from the CA up to its root. An ARN not under the CA's is <see cref="InvalidArnException"/>; one it did not
/// issue is <see cref="ResourceNotFoundException"/>.
/// </summary>
internal sealed class GetCertificate() : CaOperation<GetCertificateRequest, GetCertificateResponse>("GetCertificate", readOnly: true)
{
    public static GetCertificate Instance { get; } = new();

    protected override string ArnOf(GetCertificateRequest request) => request.CertificateAuthorityArn;

    public override void Validate(GetCertificateRequest r)
    {
        base.Validate(r);
        Internal.Validate.Length("CertificateArn", r.CertificateArn, 5, 200);
    }

    public override async ValueTask<GetCertificateResponse> ExecuteAsync(CaTable table, GetCertificateRequest r, CaRecord ca, RequestContext context, CancellationToken cancellationToken)
    {
        string prefix = ca.Arn + "/certificate/";
        string serial = r.CertificateArn.StartsWith(prefix, StringComparison.Ordinal) && r.CertificateArn.Length > prefix.Length
            ? r.CertificateArn[prefix.Length..]
            : throw new InvalidArnException($"The certificate ARN {r.CertificateArn} is not one of {ca.Arn}'s.");
        IssuedCertificateRecord issued = await table.FindCertificateAsync(ca.Id, serial, cancellationToken).ConfigureAwait(false)
            ?? throw new ResourceNotFoundException($"Could not find certificate {r.CertificateArn}.");
        IEnumerable<byte[]> chain = ca.Certificate is { } own ? [own, .. ca.Chain ?? []] : [];
        return new GetCertificateResponse
        {
            Certificate = CaDescriptions.Pem(issued.Certificate),
            CertificateChain = ca.Certificate is null ? null : CaDescriptions.Pem(chain),
        };
    }
}
