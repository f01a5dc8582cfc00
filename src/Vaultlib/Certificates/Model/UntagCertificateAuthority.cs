namespace Vaultlib.Certificates;

/// <summary>UntagCertificateAuthority request.</summary>
public sealed record UntagCertificateAuthorityRequest
{
    /// <summary>The CA's ARN.</summary>
    public required string CertificateAuthorityArn { get; init; }

    /// <summary>The tags to remove, 1-50: a tag given without a value goes whatever its value, one with a value only if it has that value.</summary>
    public required IReadOnlyList<Tag> Tags { get; init; }
}

/// <summary>UntagCertificateAuthority response (empty, as AWS's).</summary>
public sealed record UntagCertificateAuthorityResponse;
