namespace Vaultlib.Certificates.Acm;

/// <summary>ListTagsForCertificate request.</summary>
public sealed record ListTagsForCertificateRequest
{
    /// <summary>The certificate's ARN.</summary>
    public required string CertificateArn { get; init; }
}

/// <summary>ListTagsForCertificate response.</summary>
public sealed record ListTagsForCertificateResponse
{
    /// <summary>The certificate's tags.</summary>
    public required IReadOnlyList<Tag> Tags { get; init; }
}
