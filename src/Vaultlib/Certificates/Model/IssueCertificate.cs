namespace Vaultlib.Certificates;

/// <summary>IssueCertificate request.</summary>
public sealed record IssueCertificateRequest
{
    /// <summary>The issuing CA's ARN.</summary>
    public required string CertificateAuthorityArn { get; init; }

    /// <summary>The certificate signing request, PEM or DER (1-32,768 bytes).</summary>
    public required ReadOnlyMemory<byte> Csr { get; init; }

    /// <summary>How the CA signs; of the CA's key family.</summary>
    public required SigningAlgorithm SigningAlgorithm { get; init; }

    /// <summary>One of AWS's templates, e.g. <c>arn:aws:acm-pca:::template/EndEntityCertificate/V1</c> (the default).</summary>
    public string? TemplateArn { get; init; }

    /// <summary>How long the certificate is valid.</summary>
    public required Validity Validity { get; init; }

    /// <summary>When it becomes valid (default: now); <c>ABSOLUTE</c>, <c>END_DATE</c> or <c>DAYS</c>/<c>MONTHS</c>/<c>YEARS</c> before now is not allowed.</summary>
    public Validity? ValidityNotBefore { get; init; }

    /// <summary>Makes the request idempotent: the same token within one minute returns the same certificate (1-36 characters).</summary>
    public string? IdempotencyToken { get; init; }
}

/// <summary>IssueCertificate response.</summary>
public sealed record IssueCertificateResponse
{
    /// <summary>The certificate's ARN: the CA's ARN, <c>/certificate/</c> and the serial number in hex.</summary>
    public required string CertificateArn { get; init; }
}
