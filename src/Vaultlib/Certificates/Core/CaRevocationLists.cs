using System.Collections.Concurrent;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;

namespace Vaultlib.Certificates;

/// <summary>
/// The CRLs of the CAs whose <c>CrlConfiguration</c> is enabled, built with .NET's
/// <see cref="CertificateRevocationListBuilder"/> and signed with the CA's key: every certificate the CA revoked, with
/// its reason and date, valid for <c>ExpirationInDays</c> (default 7). A CRL is made again after a revocation and
/// once half its validity has passed, so it never expires while served. Its number grows with time and with the
/// revocations in it (seconds since the epoch, times 2^20, plus the revoked count), so a newer CRL always has a larger
/// number, across instances and restarts. Issued certificates point to it (CRL distribution point
/// <c>http://&lt;CustomCname or the S3 bucket's host&gt;/crl/&lt;CA id&gt;.crl</c>, AWS's path).
/// </summary>
internal sealed class CaRevocationLists(CaTable table)
{
    private readonly ConcurrentDictionary<string, (byte[] Der, DateTimeOffset ThisUpdate, DateTimeOffset NextUpdate, int Revoked)> _built = new(StringComparer.Ordinal);

    /// <summary>The URL issued certificates name, or null when the CA publishes no CRL.</summary>
    public static string? DistributionPoint(CaRecord ca, string region) => ca.Revocation?.CrlConfiguration is { Enabled: true } crl
        ? crl.CustomCname is { Length: > 0 } cname ? $"http://{cname}/crl/{ca.Id}.crl"
        : crl.S3BucketName is { Length: > 0 } bucket ? $"http://{bucket}.s3.{region}.amazonaws.com/crl/{ca.Id}.crl"
        : null
        : null;

    /// <summary>The CA's current CRL (DER); <see cref="InvalidStateException"/> when it publishes none or has no certificate yet.</summary>
    public byte[] Current(CaRecord ca)
    {
        if (ca.Revocation?.CrlConfiguration is not { Enabled: true } crl)
        {
            throw new InvalidStateException($"The certificate authority {ca.Arn} publishes no CRL (its CrlConfiguration is not enabled).");
        }

        X509Certificate2 issuer = table.CertificateOf(ca) ?? throw new InvalidStateException($"The certificate authority {ca.Arn} has no certificate yet.");
        IssuedCertificateRecord[] revoked = [.. table.CertificatesOf(ca.Id).Where(c => c.RevokedAt is not null)];
        DateTimeOffset now = table.Now;
        if (_built.TryGetValue(ca.Id, out var held) && held.Revoked == revoked.Length && now < held.ThisUpdate + ((held.NextUpdate - held.ThisUpdate) / 2))
        {
            return held.Der;
        }

        var builder = new CertificateRevocationListBuilder();
        foreach (IssuedCertificateRecord certificate in revoked)
        {
            builder.AddEntry(Convert.FromHexString(certificate.Serial), certificate.RevokedAt, Reason(certificate.RevocationReason));
        }

        DateTimeOffset nextUpdate = now.AddDays(crl.ExpirationInDays ?? 7);
        var number = new BigInteger(now.ToUnixTimeSeconds()) * (1 << 20) + revoked.Length;
        X509AuthorityKeyIdentifierExtension authorityKey = issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault() is { } subjectKey
            ? X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(subjectKey)
            : X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: false, includeIssuerAndSerial: true);
        byte[] der = builder.Build(issuer.SubjectName, CaKeys.Signer(table.KeyOf(ca), ca.Configuration.SigningAlgorithm), number, nextUpdate, CaKeys.Hash(ca.Configuration.SigningAlgorithm), authorityKey, now);
        _built[ca.Id] = (der, now, nextUpdate, revoked.Length);
        return der;
    }

    private static X509RevocationReason? Reason(RevocationReason? reason) => reason switch
    {
        RevocationReason.KEY_COMPROMISE => X509RevocationReason.KeyCompromise,
        RevocationReason.CERTIFICATE_AUTHORITY_COMPROMISE => X509RevocationReason.CACompromise,
        RevocationReason.AFFILIATION_CHANGED => X509RevocationReason.AffiliationChanged,
        RevocationReason.SUPERSEDED => X509RevocationReason.Superseded,
        RevocationReason.CESSATION_OF_OPERATION => X509RevocationReason.CessationOfOperation,
        RevocationReason.PRIVILEGE_WITHDRAWN => X509RevocationReason.PrivilegeWithdrawn,
        RevocationReason.A_A_COMPROMISE => X509RevocationReason.AACompromise,
        _ => X509RevocationReason.Unspecified,
    };
}
