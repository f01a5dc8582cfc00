namespace Vaultlib.Certificates.Acm;

/// <summary>AddTagsToCertificate request.</summary>
public sealed record AddTagsToCertificateRequest
{
    /// <summary>The certificate's ARN.</summary>
    public required string CertificateArn { get; init; }

    /// <summary>Tags to add or overwrite, 1-50 (at most 50 on the certificate).</summary>
    public required IReadOnlyList<Tag> Tags { get; init; }
}

/// <summary>AddTagsToCertificate response (empty, as AWS's).</summary>
public sealed record AddTagsToCertificateResponse;
