namespace Vaultlib.Certificates;

// The enums carry AWS's names exactly (their wire strings), hence the underscores and mixed case.

/// <summary>A CA's place in its hierarchy (AWS <c>CertificateAuthorityType</c>).</summary>
public enum CertificateAuthorityType
{
    /// <summary>A root CA: its certificate signs itself.</summary>
    ROOT,

    /// <summary>A subordinate CA: its certificate is signed by a parent CA, here or elsewhere.</summary>
    SUBORDINATE,
}

/// <summary>A CA's state (AWS <c>CertificateAuthorityStatus</c>).</summary>
public enum CertificateAuthorityStatus
{
    /// <summary>Being made (Vaultlib makes a CA at once, so none is ever seen in this state).</summary>
    CREATING,

    /// <summary>Made, waiting for its certificate (ImportCertificateAuthorityCertificate).</summary>
    PENDING_CERTIFICATE,

    /// <summary>Issues certificates.</summary>
    ACTIVE,

    /// <summary>Scheduled for deletion; restorable until <c>RestorableUntil</c>.</summary>
    DELETED,

    /// <summary>Turned off: issues nothing until made ACTIVE again.</summary>
    DISABLED,

    /// <summary>Its certificate has expired.</summary>
    EXPIRED,

    /// <summary>Could not be made.</summary>
    FAILED,
}

/// <summary>A CA's key (AWS <c>KeyAlgorithm</c>); Vaultlib makes the RSA and NIST curve ones.</summary>
public enum KeyAlgorithm
{
    /// <summary>RSA, 2048 bits.</summary>
    RSA_2048,

    /// <summary>RSA, 3072 bits.</summary>
    RSA_3072,

    /// <summary>RSA, 4096 bits.</summary>
    RSA_4096,

    /// <summary>ECDSA on P-256.</summary>
    EC_prime256v1,

    /// <summary>ECDSA on P-384.</summary>
    EC_secp384r1,

    /// <summary>ECDSA on P-521.</summary>
    EC_secp521r1,

    /// <summary>ML-DSA-44 (not made by Vaultlib: <see cref="InvalidArgsException"/>).</summary>
    ML_DSA_44,

    /// <summary>ML-DSA-65 (not made by Vaultlib).</summary>
    ML_DSA_65,

    /// <summary>ML-DSA-87 (not made by Vaultlib).</summary>
    ML_DSA_87,

    /// <summary>SM2 (China Regions only in AWS; not made by Vaultlib).</summary>
    SM2,
}

/// <summary>How a CA signs (AWS <c>SigningAlgorithm</c>).</summary>
public enum SigningAlgorithm
{
    /// <summary>ECDSA with SHA-256.</summary>
    SHA256WITHECDSA,

    /// <summary>ECDSA with SHA-384.</summary>
    SHA384WITHECDSA,

    /// <summary>ECDSA with SHA-512.</summary>
    SHA512WITHECDSA,

    /// <summary>RSA PKCS#1 v1.5 with SHA-256.</summary>
    SHA256WITHRSA,

    /// <summary>RSA PKCS#1 v1.5 with SHA-384.</summary>
    SHA384WITHRSA,

    /// <summary>RSA PKCS#1 v1.5 with SHA-512.</summary>
    SHA512WITHRSA,

    /// <summary>SM2 with SM3 (not supported by Vaultlib).</summary>
    SM3WITHSM2,

    /// <summary>ML-DSA-44 (not supported by Vaultlib).</summary>
    ML_DSA_44,

    /// <summary>ML-DSA-65 (not supported by Vaultlib).</summary>
    ML_DSA_65,

    /// <summary>ML-DSA-87 (not supported by Vaultlib).</summary>
    ML_DSA_87,
}

/// <summary>What a CA is for (AWS <c>CertificateAuthorityUsageMode</c>).</summary>
public enum CertificateAuthorityUsageMode
{
    /// <summary>Certificates of any validity (the default).</summary>
    GENERAL_PURPOSE,

    /// <summary>Certificates valid for at most seven days.</summary>
    SHORT_LIVED_CERTIFICATE,
}

/// <summary>How a <see cref="Validity"/> value is read (AWS <c>ValidityPeriodType</c>).</summary>
public enum ValidityPeriodType
{
    /// <summary>An end date as <c>YYYYMMDDHHMMSS</c> (UTC).</summary>
    END_DATE,

    /// <summary>Seconds since the Unix epoch.</summary>
    ABSOLUTE,

    /// <summary>Days from now.</summary>
    DAYS,

    /// <summary>Calendar months from now.</summary>
    MONTHS,

    /// <summary>Calendar years from now.</summary>
    YEARS,
}

/// <summary>Why a certificate is revoked (AWS <c>RevocationReason</c>, RFC 5280's reason codes).</summary>
public enum RevocationReason
{
    /// <summary>No reason given.</summary>
    UNSPECIFIED,

    /// <summary>The certificate's key is compromised.</summary>
    KEY_COMPROMISE,

    /// <summary>The issuing CA's key is compromised.</summary>
    CERTIFICATE_AUTHORITY_COMPROMISE,

    /// <summary>The subject's affiliation changed.</summary>
    AFFILIATION_CHANGED,

    /// <summary>Replaced by another certificate.</summary>
    SUPERSEDED,

    /// <summary>No longer needed.</summary>
    CESSATION_OF_OPERATION,

    /// <summary>A privilege it asserted was withdrawn.</summary>
    PRIVILEGE_WITHDRAWN,

    /// <summary>An attribute authority is compromised.</summary>
    A_A_COMPROMISE,
}
