using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Operations;

/// <summary>ACM Private CA <c>UntagCertificateAuthority</c>: Removes tags: one given without a value whatever its value, one with a value only if it has that value.</summary>
internal sealed class UntagCertificateAuthority() : CaOperation<UntagCertificateAuthorityRequest, UntagCertificateAuthorityResponse>("UntagCertificateAuthority", readOnly: false)
{
    public static UntagCertificateAuthority Instance { get; } = new();

    protected override string ArnOf(UntagCertificateAuthorityRequest request) => request.CertificateAuthorityArn;

    public override void Validate(UntagCertificateAuthorityRequest r)
    {
        base.Validate(r);
        Internal.Validate.Required("Tags", r.Tags);
        CaTags.Validate(r.Tags, 1);
    }

    public override RequestFacts Facts(UntagCertificateAuthorityRequest request) => new() { TagKeys = [.. request.Tags.Select(t => t.Key)] };

    public override async ValueTask<UntagCertificateAuthorityResponse> ExecuteAsync(CaTable table, UntagCertificateAuthorityRequest r, CaRecord ca, RequestContext context, CancellationToken cancellationToken)
    {
        await table.ChangeAsync(
            ca,
            current => current with { Tags = CaTags.Remove(current.Tags, r.Tags) },
            cancellationToken).ConfigureAwait(false);
        return new UntagCertificateAuthorityResponse();
    }
}
