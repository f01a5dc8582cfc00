namespace Vaultlib.Certificates.Acm;

// The enums carry AWS's names exactly (their wire strings), hence the underscores and mixed case.

/// <summary>A certificate's status, as ACM reports it.</summary>
public enum CertificateStatus
{
    /// <summary>Waiting for its domains to be validated.</summary>
    PENDING_VALIDATION,

    /// <summary>Issued and usable.</summary>
    ISSUED,

    /// <summary>No longer usable (not produced by Vaultlib; AWS's value, for completeness).</summary>
    INACTIVE,

    /// <summary>Past its NotAfter.</summary>
    EXPIRED,

    /// <summary>Not validated within 72 hours of the request.</summary>
    VALIDATION_TIMED_OUT,

    /// <summary>Revoked.</summary>
    REVOKED,

    /// <summary>Could not be issued (see <c>FailureReason</c>).</summary>
    FAILED,
}

/// <summary>Where a certificate came from.</summary>
public enum CertificateType
{
    /// <summary>Imported with ImportCertificate; never renewed.</summary>
    IMPORTED,

    /// <summary>Issued after domain validation by the account's local public-like root (AWS: by Amazon's public CA).</summary>
    AMAZON_ISSUED,

    /// <summary>Issued by a Private CA.</summary>
    PRIVATE,
}

/// <summary>How domain ownership is proven.</summary>
public enum ValidationMethod
{
    /// <summary>An approval link mailed to the domain's contacts.</summary>
    EMAIL,

    /// <summary>A CNAME record in the domain's zone.</summary>
    DNS,

    /// <summary>An HTTP redirect (CloudFront-managed certificates only; refused here, as without ManagedBy in AWS).</summary>
    HTTP,
}

/// <summary>A certificate's key algorithm.</summary>
public enum KeyAlgorithm
{
    /// <summary>RSA 1024 (imports only).</summary>
    RSA_1024,

    /// <summary>RSA 2048.</summary>
    RSA_2048,

    /// <summary>RSA 3072 (imports only).</summary>
    RSA_3072,

    /// <summary>RSA 4096 (imports only).</summary>
    RSA_4096,

    /// <summary>ECDSA over P-256.</summary>
    EC_prime256v1,

    /// <summary>ECDSA over P-384.</summary>
    EC_secp384r1,

    /// <summary>ECDSA over P-521 (imports only).</summary>
    EC_secp521r1,
}

/// <summary>One domain's validation status.</summary>
public enum DomainStatus
{
    /// <summary>Not yet proven.</summary>
    PENDING_VALIDATION,

    /// <summary>Proven.</summary>
    SUCCESS,

    /// <summary>Not proven in time.</summary>
    FAILED,
}

/// <summary>A validation record's DNS type.</summary>
public enum RecordType
{
    /// <summary>A CNAME record.</summary>
    CNAME,
}

/// <summary>The state of a managed renewal.</summary>
public enum RenewalStatus
{
    /// <summary>Renewal is under way and needs nothing from the owner.</summary>
    PENDING_AUTO_RENEWAL,

    /// <summary>Renewal waits for a domain to be validated again.</summary>
    PENDING_VALIDATION,

    /// <summary>Renewed.</summary>
    SUCCESS,

    /// <summary>Not renewed before expiry.</summary>
    FAILED,
}

/// <summary>Whether ACM renews a certificate on its own.</summary>
public enum RenewalEligibility
{
    /// <summary>Renewed automatically.</summary>
    ELIGIBLE,

    /// <summary>Not renewed.</summary>
    INELIGIBLE,
}

/// <summary>Why a certificate request failed.</summary>
public enum FailureReason
{
    /// <summary>No contact to mail.</summary>
    NO_AVAILABLE_CONTACTS,

    /// <summary>AWS asks for more checks.</summary>
    ADDITIONAL_VERIFICATION_REQUIRED,

    /// <summary>The domain is not allowed.</summary>
    DOMAIN_NOT_ALLOWED,

    /// <summary>The domain is not a public one.</summary>
    INVALID_PUBLIC_DOMAIN,

    /// <summary>Validation was denied.</summary>
    DOMAIN_VALIDATION_DENIED,

    /// <summary>A CAA record forbids the CA.</summary>
    CAA_ERROR,

    /// <summary>The Private CA's quota is reached.</summary>
    PCA_LIMIT_EXCEEDED,

    /// <summary>The Private CA's ARN is not valid.</summary>
    PCA_INVALID_ARN,

    /// <summary>The Private CA is not ACTIVE.</summary>
    PCA_INVALID_STATE,

    /// <summary>The Private CA's request failed.</summary>
    PCA_REQUEST_FAILED,

    /// <summary>The Private CA's name constraints refuse the domain.</summary>
    PCA_NAME_CONSTRAINTS_VALIDATION,

    /// <summary>No such Private CA.</summary>
    PCA_RESOURCE_NOT_FOUND,

    /// <summary>The Private CA refused the arguments.</summary>
    PCA_INVALID_ARGS,

    /// <summary>The certificate would outlive the Private CA.</summary>
    PCA_INVALID_DURATION,

    /// <summary>ACM may not use the Private CA.</summary>
    PCA_ACCESS_DENIED,

    /// <summary>ACM's service-linked role is missing.</summary>
    SLR_NOT_FOUND,

    /// <summary>Anything else.</summary>
    OTHER,
}

/// <summary>Why a certificate was revoked, as ACM names the reasons.</summary>
public enum RevocationReason
{
    /// <summary>Unspecified.</summary>
    UNSPECIFIED,

    /// <summary>The key was compromised.</summary>
    KEY_COMPROMISE,

    /// <summary>The CA was compromised.</summary>
    CA_COMPROMISE,

    /// <summary>The subject's affiliation changed.</summary>
    AFFILIATION_CHANGED,

    /// <summary>Superseded (AWS's older spelling).</summary>
    SUPERCEDED,

    /// <summary>Superseded.</summary>
    SUPERSEDED,

    /// <summary>No longer needed.</summary>
    CESSATION_OF_OPERATION,

    /// <summary>On hold.</summary>
    CERTIFICATE_HOLD,

    /// <summary>Taken off the CRL.</summary>
    REMOVE_FROM_CRL,

    /// <summary>A privilege was withdrawn.</summary>
    PRIVILEGE_WITHDRAWN,

    /// <summary>The attribute authority was compromised.</summary>
    A_A_COMPROMISE,
}

/// <summary>Whether a certificate is logged to Certificate Transparency logs (recorded; Vaultlib logs nowhere).</summary>
public enum CertificateTransparencyLoggingPreference
{
    /// <summary>Logged.</summary>
    ENABLED,

    /// <summary>Not logged.</summary>
    DISABLED,
}

/// <summary>Whether a public certificate can be exported with its private key.</summary>
public enum CertificateExport
{
    /// <summary>Exportable.</summary>
    ENABLED,

    /// <summary>Not exportable.</summary>
    DISABLED,
}

/// <summary>A key usage of a certificate.</summary>
public enum KeyUsageName
{
    /// <summary>digitalSignature.</summary>
    DIGITAL_SIGNATURE,

    /// <summary>nonRepudiation.</summary>
    NON_REPUDIATION,

    /// <summary>keyEncipherment.</summary>
    KEY_ENCIPHERMENT,

    /// <summary>dataEncipherment.</summary>
    DATA_ENCIPHERMENT,

    /// <summary>keyAgreement.</summary>
    KEY_AGREEMENT,

    /// <summary>keyCertSign.</summary>
    CERTIFICATE_SIGNING,

    /// <summary>cRLSign.</summary>
    CRL_SIGNING,

    /// <summary>encipherOnly.</summary>
    ENCIPHER_ONLY,

    /// <summary>decipherOnly.</summary>
    DECIPHER_ONLY,

    /// <summary>Any (filters only).</summary>
    ANY,

    /// <summary>A usage ACM does not name.</summary>
    CUSTOM,
}

/// <summary>An extended key usage of a certificate.</summary>
public enum ExtendedKeyUsageName
{
    /// <summary>serverAuth.</summary>
    TLS_WEB_SERVER_AUTHENTICATION,

    /// <summary>clientAuth.</summary>
    TLS_WEB_CLIENT_AUTHENTICATION,

    /// <summary>codeSigning.</summary>
    CODE_SIGNING,

    /// <summary>emailProtection.</summary>
    EMAIL_PROTECTION,

    /// <summary>timeStamping.</summary>
    TIME_STAMPING,

    /// <summary>OCSPSigning.</summary>
    OCSP_SIGNING,

    /// <summary>ipsecEndSystem.</summary>
    IPSEC_END_SYSTEM,

    /// <summary>ipsecTunnel.</summary>
    IPSEC_TUNNEL,

    /// <summary>ipsecUser.</summary>
    IPSEC_USER,

    /// <summary>Any (filters only).</summary>
    ANY,

    /// <summary>No extended key usage (filters only).</summary>
    NONE,

    /// <summary>A usage ACM does not name.</summary>
    CUSTOM,
}

/// <summary>ListCertificates' sort key.</summary>
public enum SortBy
{
    /// <summary>By creation time.</summary>
    CREATED_AT,
}

/// <summary>ListCertificates' sort direction.</summary>
public enum SortOrder
{
    /// <summary>Oldest first.</summary>
    ASCENDING,

    /// <summary>Newest first.</summary>
    DESCENDING,
}
