namespace Vaultlib.Certificates;

/// <summary>RevokeCertificate request.</summary>
public sealed record RevokeCertificateRequest
{
    /// <summary>The issuing CA's ARN.</summary>
    public required string CertificateAuthorityArn { get; init; }

    /// <summary>The certificate's serial number, as hex (colons allowed), at most 128 characters.</summary>
    public required string CertificateSerial { get; init; }

    /// <summary>Why.</summary>
    public required RevocationReason RevocationReason { get; init; }
}

/// <summary>RevokeCertificate response (empty, as AWS's).</summary>
public sealed record RevokeCertificateResponse;
