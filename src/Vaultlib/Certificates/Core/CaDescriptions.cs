using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vaultlib.Certificates;

/// <summary>A CA record as AWS's <see cref="CertificateAuthority"/> shape, and certificates as PEM.</summary>
internal static class CaDescriptions
{
    public static CertificateAuthority Describe(CaTable table, CaRecord ca)
    {
        X509Certificate2? certificate = table.CertificateOf(ca);
        return new CertificateAuthority
        {
            Arn = ca.Arn,
            OwnerAccount = table.Options.AccountId,
            CreatedAt = ca.CreatedAt,
            LastStateChangeAt = ca.LastStateChangeAt,
            Type = ca.Type,
            Serial = certificate is null ? null : ColonHex(certificate.SerialNumberBytes.Span),
            Status = ca.Status,
            NotBefore = certificate?.NotBefore.ToUniversalTime(),
            NotAfter = certificate?.NotAfter.ToUniversalTime(),
            CertificateAuthorityConfiguration = ca.Configuration,
            RevocationConfiguration = ca.Revocation,
            RestorableUntil = ca.RestorableUntil,
            KeyStorageSecurityStandard = ca.KeyStorageSecurityStandard,
            UsageMode = ca.UsageMode,
        };
    }

    /// <summary>A serial number as AWS shows it: lower-case hex pairs separated by colons.</summary>
    public static string ColonHex(ReadOnlySpan<byte> serial) => string.Join(':', serial.ToArray().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    public static string Pem(ReadOnlySpan<byte> der) => PemEncoding.WriteString("CERTIFICATE", der);

    /// <summary>Certificates as one PEM text, one after another, separated by a line break.</summary>
    public static string Pem(IEnumerable<byte[]> ders) => string.Join('\n', ders.Select(d => Pem(d)));
}
