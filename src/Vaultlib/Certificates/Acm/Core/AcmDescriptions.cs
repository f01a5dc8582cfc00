using System.Security.Cryptography.X509Certificates;

namespace Vaultlib.Certificates.Acm;

/// <summary>A certificate record as DescribeCertificate and ListCertificates report it, with its X.509 facts read from the certificate.</summary>
internal static class AcmDescriptions
{
    private static readonly (X509KeyUsageFlags Flag, KeyUsageName Name)[] s_keyUsages =
    [
        (X509KeyUsageFlags.DigitalSignature, KeyUsageName.DIGITAL_SIGNATURE),
        (X509KeyUsageFlags.NonRepudiation, KeyUsageName.NON_REPUDIATION),
        (X509KeyUsageFlags.KeyEncipherment, KeyUsageName.KEY_ENCIPHERMENT),
        (X509KeyUsageFlags.DataEncipherment, KeyUsageName.DATA_ENCIPHERMENT),
        (X509KeyUsageFlags.KeyAgreement, KeyUsageName.KEY_AGREEMENT),
        (X509KeyUsageFlags.KeyCertSign, KeyUsageName.CERTIFICATE_SIGNING),
        (X509KeyUsageFlags.CrlSign, KeyUsageName.CRL_SIGNING),
        (X509KeyUsageFlags.EncipherOnly, KeyUsageName.ENCIPHER_ONLY),
        (X509KeyUsageFlags.DecipherOnly, KeyUsageName.DECIPHER_ONLY),
    ];

    private static readonly Dictionary<string, ExtendedKeyUsageName> s_extendedKeyUsages = new(StringComparer.Ordinal)
    {
        ["1.3.6.1.5.5.7.3.1"] = ExtendedKeyUsageName.TLS_WEB_SERVER_AUTHENTICATION,
        ["1.3.6.1.5.5.7.3.2"] = ExtendedKeyUsageName.TLS_WEB_CLIENT_AUTHENTICATION,
        ["1.3.6.1.5.5.7.3.3"] = ExtendedKeyUsageName.CODE_SIGNING,
        ["1.3.6.1.5.5.7.3.4"] = ExtendedKeyUsageName.EMAIL_PROTECTION,
        ["1.3.6.1.5.5.7.3.8"] = ExtendedKeyUsageName.TIME_STAMPING,
        ["1.3.6.1.5.5.7.3.9"] = ExtendedKeyUsageName.OCSP_SIGNING,
        ["1.3.6.1.5.5.7.3.5"] = ExtendedKeyUsageName.IPSEC_END_SYSTEM,
        ["1.3.6.1.5.5.7.3.6"] = ExtendedKeyUsageName.IPSEC_TUNNEL,
        ["1.3.6.1.5.5.7.3.7"] = ExtendedKeyUsageName.IPSEC_USER,
    };

    /// <summary>The X.509 facts of an issued or imported certificate.</summary>
    internal sealed record Facts(string Serial, string Subject, string Issuer, string SignatureAlgorithm, IReadOnlyList<KeyUsageName> KeyUsages, IReadOnlyList<ExtendedKeyUsage> ExtendedKeyUsages);

    public static Facts? Read(AcmRecord record)
    {
        if (record.Certificate is not { } der)
        {
            return null;
        }

        using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(der);
        KeyUsageName[] usages = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } ku
            ? [.. s_keyUsages.Where(u => ku.KeyUsages.HasFlag(u.Flag)).Select(u => u.Name)]
            : [];
        ExtendedKeyUsage[] extended = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } eku
            ? [.. eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => new ExtendedKeyUsage { Name = s_extendedKeyUsages.GetValueOrDefault(o.Value ?? string.Empty, ExtendedKeyUsageName.CUSTOM), OID = o.Value })]
            : [];
        string serial = CaDescriptions.ColonHex(certificate.SerialNumberBytes.Span);
        return new Facts(serial, certificate.Subject, certificate.Issuer, SignatureName(certificate.SignatureAlgorithm.Value), usages, extended);
    }

    public static CertificateDetail Detail(AcmRecord record)
    {
        Facts? facts = Read(record);
        return new CertificateDetail
        {
            CertificateArn = record.Arn,
            DomainName = record.Domains[0],
            SubjectAlternativeNames = record.Domains,
            DomainValidationOptions = record.Type == CertificateType.IMPORTED ? null : [.. record.Validations.Select(v => Show(v, record))],
            Serial = facts?.Serial,
            Subject = facts?.Subject,
            Issuer = facts?.Issuer,
            CreatedAt = record.CreatedAt,
            IssuedAt = record.IssuedAt,
            ImportedAt = record.ImportedAt,
            Status = record.Status,
            RevokedAt = record.RevokedAt,
            RevocationReason = record.RevocationReason,
            NotBefore = record.NotBefore,
            NotAfter = record.NotAfter,
            KeyAlgorithm = record.KeyAlgorithm,
            SignatureAlgorithm = facts?.SignatureAlgorithm,
            InUseBy = record.InUseBy,
            FailureReason = record.FailureReason,
            Type = record.Type,
            RenewalSummary = record.Renewal is { } renewal ? new RenewalSummary { RenewalStatus = renewal.Status, DomainValidationOptions = [.. renewal.Validations.Select(v => Show(v, record))], RenewalStatusReason = renewal.Reason, UpdatedAt = renewal.UpdatedAt } : null,
            KeyUsages = facts is null ? null : [.. facts.KeyUsages.Select(u => new KeyUsage { Name = u })],
            ExtendedKeyUsages = facts?.ExtendedKeyUsages,
            CertificateAuthorityArn = record.CertificateAuthorityArn,
            RenewalEligibility = AcmLifecycle.Eligible(record) ? RenewalEligibility.ELIGIBLE : RenewalEligibility.INELIGIBLE,
            Options = record.Options,
        };
    }

    public static CertificateSummary Summary(AcmRecord record)
    {
        Facts? facts = Read(record);
        return new CertificateSummary
        {
            CertificateArn = record.Arn,
            DomainName = record.Domains[0],
            SubjectAlternativeNameSummaries = record.Domains,
            HasAdditionalSubjectAlternativeNames = false,
            Status = record.Status,
            Type = record.Type,
            KeyAlgorithm = record.KeyAlgorithm,
            KeyUsages = facts?.KeyUsages,
            ExtendedKeyUsages = facts is null ? null : [.. facts.ExtendedKeyUsages.Select(e => e.Name)],
            ExportOption = ExportOption(record),
            InUse = record.InUseBy.Count > 0,
            Exported = record.Exported,
            RenewalEligibility = AcmLifecycle.Eligible(record) ? RenewalEligibility.ELIGIBLE : RenewalEligibility.INELIGIBLE,
            NotBefore = record.NotBefore,
            NotAfter = record.NotAfter,
            CreatedAt = record.CreatedAt,
            IssuedAt = record.IssuedAt,
            ImportedAt = record.ImportedAt,
            RevokedAt = record.RevokedAt,
        };
    }

    /// <summary>Whether a certificate can be exported: private ones always; public ones when requested with <c>Export</c> ENABLED; imported ones never.</summary>
    public static CertificateExport ExportOption(AcmRecord record) =>
        record.Type == CertificateType.PRIVATE || (record.Type == CertificateType.AMAZON_ISSUED && record.Options?.Export == CertificateExport.ENABLED)
            ? CertificateExport.ENABLED
            : CertificateExport.DISABLED;

    private static DomainValidation Show(DomainRecord v, AcmRecord record) => new()
    {
        DomainName = v.DomainName,
        ValidationDomain = v.ValidationDomain,
        ValidationStatus = v.Status,
        ValidationMethod = record.ValidationMethod,
        ResourceRecord = v.RecordName is null ? null : new ResourceRecord { Name = v.RecordName, Type = RecordType.CNAME, Value = v.RecordValue! },
        ValidationEmails = v.ApprovalToken is null && record.ValidationMethod != ValidationMethod.EMAIL ? null : AcmDomains.Contacts(v.ValidationDomain),
    };

    private static string SignatureName(string? oid) => oid switch
    {
        "1.2.840.113549.1.1.11" => "SHA256WITHRSA",
        "1.2.840.113549.1.1.12" => "SHA384WITHRSA",
        "1.2.840.113549.1.1.13" => "SHA512WITHRSA",
        "1.2.840.113549.1.1.5" => "SHA1WITHRSA",
        "1.2.840.10045.4.3.2" => "SHA256WITHECDSA",
        "1.2.840.10045.4.3.3" => "SHA384WITHECDSA",
        "1.2.840.10045.4.3.4" => "SHA512WITHECDSA",
        _ => oid ?? "UNKNOWN",
    };
}
