namespace Vaultlib.Certificates;

/// <summary>DeleteCertificateAuthority request.</summary>
public sealed record DeleteCertificateAuthorityRequest
{
    /// <summary>The CA's ARN.</summary>
    public required string CertificateAuthorityArn { get; init; }

    /// <summary>How long the CA can be restored, 7-30 days (default 30).</summary>
    public int? PermanentDeletionTimeInDays { get; init; }
}

/// <summary>DeleteCertificateAuthority response (empty, as AWS's).</summary>
public sealed record DeleteCertificateAuthorityResponse;
