using System.Security.Cryptography;
using Vaultlib.Internal;
using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Operations;

/// <summary>
/// ACM Private CA <c>CreateCertificateAuthority</c>: A root or subordinate CA with a new key (RSA 2048/3072/4096 or
/// ECDSA P-256/P-384/P-521), made at once in <c>PENDING_CERTIFICATE</c>: its CSR waits for a certificate
/// (ImportCertificateAuthorityCertificate). The same <c>IdempotencyToken</c> within five minutes returns the same CA.
/// </summary>
internal sealed class CreateCertificateAuthority() : PcaOperation<CreateCertificateAuthorityRequest, AccountResource, CreateCertificateAuthorityResponse>("CreateCertificateAuthority", readOnly: false)
{
    public static CreateCertificateAuthority Instance { get; } = new();

    private static readonly TimeSpan s_idempotencyWindow = TimeSpan.FromMinutes(5);

    public override void Validate(CreateCertificateAuthorityRequest r)
    {
        Internal.Validate.Required("CertificateAuthorityConfiguration", r.CertificateAuthorityConfiguration);
        Internal.Validate.Defined("CertificateAuthorityType", (CertificateAuthorityType?)r.CertificateAuthorityType);
        CertificateAuthorityConfiguration c = r.CertificateAuthorityConfiguration;
        Internal.Validate.Defined("CertificateAuthorityConfiguration.KeyAlgorithm", (KeyAlgorithm?)c.KeyAlgorithm);
        Internal.Validate.Defined("CertificateAuthorityConfiguration.SigningAlgorithm", (SigningAlgorithm?)c.SigningAlgorithm);
        if (!CaKeys.Suits(c.KeyAlgorithm, c.SigningAlgorithm))
        {
            throw new InvalidArgsException("CertificateAuthorityConfiguration.SigningAlgorithm", $"The signing algorithm {c.SigningAlgorithm} does not suit the key algorithm {c.KeyAlgorithm}.");
        }

        CaSubjects.Validate(c.Subject);
        Internal.Validate.Length("IdempotencyToken", r.IdempotencyToken, 1, 36, required: false);
        Internal.Validate.Defined("UsageMode", r.UsageMode);
        CaRevocation.Validate(r.RevocationConfiguration);
        CaTags.Validate(r.Tags, 1);
    }

    public override ValueTask<AccountResource> ResolveAsync(CaTable table, CreateCertificateAuthorityRequest request, RequestContext context, CancellationToken cancellationToken) =>
        new(table.Account);

    public override RequestFacts Facts(CreateCertificateAuthorityRequest request) => CaTags.Facts(request.Tags);

    public override async ValueTask<CreateCertificateAuthorityResponse> ExecuteAsync(CaTable table, CreateCertificateAuthorityRequest r, AccountResource resource, RequestContext context, CancellationToken cancellationToken)
    {
        DateTimeOffset now = table.Now;
        if (r.IdempotencyToken is { } token
            && table.All.FirstOrDefault(ca => ca.IdempotencyToken == token && now - ca.CreatedAt < s_idempotencyWindow) is { } earlier)
        {
            return new CreateCertificateAuthorityResponse { CertificateAuthorityArn = earlier.Arn };
        }

        CertificateAuthorityConfiguration c = r.CertificateAuthorityConfiguration;
        AsymmetricAlgorithm key = CaKeys.Create(c.KeyAlgorithm);
        try
        {
            byte[] csr = CaKeys.Request(CaSubjects.ToName(c.Subject), key, CaKeys.Hash(c.SigningAlgorithm)).CreateSigningRequest(CaKeys.Signer(key, c.SigningAlgorithm));
            string id = Guid.NewGuid().ToString();
            var ca = new CaRecord
            {
                Id = id,
                Arn = table.ArnPrefix + id,
                Type = r.CertificateAuthorityType,
                Status = CertificateAuthorityStatus.PENDING_CERTIFICATE,
                Configuration = c,
                Revocation = r.RevocationConfiguration,
                UsageMode = r.UsageMode ?? CertificateAuthorityUsageMode.GENERAL_PURPOSE,
                KeyStorageSecurityStandard = r.KeyStorageSecurityStandard ?? "FIPS_140_2_LEVEL_3_OR_HIGHER",
                CreatedAt = now,
                LastStateChangeAt = now,
                Tags = r.Tags ?? [],
                IdempotencyToken = r.IdempotencyToken,
                Csr = csr,
            };
            await table.AddAsync(ca, key, cancellationToken).ConfigureAwait(false);
            key = null!; // the table owns it now
            return new CreateCertificateAuthorityResponse { CertificateAuthorityArn = ca.Arn };
        }
        finally
        {
            key?.Dispose();
        }
    }
}
