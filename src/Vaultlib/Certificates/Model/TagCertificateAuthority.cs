namespace Vaultlib.Certificates;

/// <summary>TagCertificateAuthority request.</summary>
public sealed record TagCertificateAuthorityRequest
{
    /// <summary>The CA's ARN.</summary>
    public required string CertificateAuthorityArn { get; init; }

    /// <summary>The tags to add or replace, 1-50.</summary>
    public required IReadOnlyList<Tag> Tags { get; init; }
}

/// <summary>TagCertificateAuthority response (empty, as AWS's).</summary>
public sealed record TagCertificateAuthorityResponse;
