namespace Vaultlib.Certificates;

/// <summary>RestoreCertificateAuthority request.</summary>
public sealed record RestoreCertificateAuthorityRequest
{
    /// <summary>The CA's ARN.</summary>
    public required string CertificateAuthorityArn { get; init; }
}

/// <summary>RestoreCertificateAuthority response (empty, as AWS's).</summary>
public sealed record RestoreCertificateAuthorityResponse;
