namespace Vaultlib.Certificates.Acm;

/// <summary>RequestCertificate request.</summary>
public sealed record RequestCertificateRequest
{
    /// <summary>The first domain, 1-253 characters (a leading <c>*.</c> asks for a wildcard); its first 64 characters become the subject's common name.</summary>
    public required string DomainName { get; init; }

    /// <summary>How the domains are validated (DNS or EMAIL; EMAIL when absent, as in AWS). Ignored for private certificates.</summary>
    public ValidationMethod? ValidationMethod { get; init; }

    /// <summary>More domains (with <see cref="DomainName"/>, at most 10 per certificate, AWS's default quota).</summary>
    public IReadOnlyList<string>? SubjectAlternativeNames { get; init; }

    /// <summary>1-32 word characters; the same token within an hour returns the same certificate.</summary>
    public string? IdempotencyToken { get; init; }

    /// <summary>For email validation: the domain whose contacts are mailed, per domain.</summary>
    public IReadOnlyList<DomainValidationOption>? DomainValidationOptions { get; init; }

    /// <summary>Transparency logging and export.</summary>
    public CertificateOptions? Options { get; init; }

    /// <summary>A Private CA (its ARN) to issue a private certificate at once, with no validation.</summary>
    public string? CertificateAuthorityArn { get; init; }

    /// <summary>Tags, 1-50.</summary>
    public IReadOnlyList<Tag>? Tags { get; init; }

    /// <summary>RSA_2048 (the default), EC_prime256v1 or EC_secp384r1.</summary>
    public KeyAlgorithm? KeyAlgorithm { get; init; }
}

/// <summary>RequestCertificate response.</summary>
public sealed record RequestCertificateResponse
{
    /// <summary>The new certificate's ARN.</summary>
    public required string CertificateArn { get; init; }
}
