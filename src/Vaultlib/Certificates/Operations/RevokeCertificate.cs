using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Operations;

/// <summary>
/// ACM Private CA <c>RevokeCertificate</c>: Records a certificate's revocation with AWS's reason; the serial is hex,
/// with or without colons. A second revocation is <see cref="RequestAlreadyProcessedException"/>; a serial the CA did
/// not issue is <see cref="ResourceNotFoundException"/>; the CA must be ACTIVE or DISABLED.
/// </summary>
internal sealed class RevokeCertificate() : CaOperation<RevokeCertificateRequest, RevokeCertificateResponse>("RevokeCertificate", readOnly: false)
{
    public static RevokeCertificate Instance { get; } = new();

    protected override string ArnOf(RevokeCertificateRequest request) => request.CertificateAuthorityArn;

    public override void Validate(RevokeCertificateRequest r)
    {
        base.Validate(r);
        Internal.Validate.Length("CertificateSerial", r.CertificateSerial, 0, 128);
        Internal.Validate.Defined("RevocationReason", (RevocationReason?)r.RevocationReason);
    }

    public override async ValueTask<RevokeCertificateResponse> ExecuteAsync(CaTable table, RevokeCertificateRequest r, CaRecord ca, RequestContext context, CancellationToken cancellationToken)
    {
        RequireStatus(ca, CertificateAuthorityStatus.ACTIVE, CertificateAuthorityStatus.DISABLED);
        // Serials are kept as 32 lower-case hex digits; the request's may have colons, either case, or fewer leading zeros.
        string serial = r.CertificateSerial.Replace(":", string.Empty, StringComparison.Ordinal).ToLowerInvariant().TrimStart('0').PadLeft(32, '0');
        IssuedCertificateRecord found = await table.FindCertificateAsync(ca.Id, serial, cancellationToken).ConfigureAwait(false)
            ?? throw new ResourceNotFoundException($"Could not find a certificate with serial {r.CertificateSerial} issued by {ca.Arn}.");

        if (ca.Type == CertificateAuthorityType.ROOT && ca.Certificate is { } own && found.Certificate.AsSpan().SequenceEqual(own))
        {
            throw new InvalidRequestException("A root CA's self-signed certificate cannot be revoked.");
        }

        DateTimeOffset now = table.Now;
        await table.PutCertificateAsync(
            ca.Id,
            found.Serial,
            current => current is null ? throw new ResourceNotFoundException($"Could not find a certificate with serial {r.CertificateSerial}.")
                : current.RevokedAt is not null ? throw new RequestAlreadyProcessedException($"The certificate {r.CertificateSerial} is already revoked.")
                : current with { RevokedAt = now, RevocationReason = r.RevocationReason },
            cancellationToken).ConfigureAwait(false);
        return new RevokeCertificateResponse();
    }
}
