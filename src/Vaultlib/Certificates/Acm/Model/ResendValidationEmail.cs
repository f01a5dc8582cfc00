namespace Vaultlib.Certificates.Acm;

/// <summary>ResendValidationEmail request.</summary>
public sealed record ResendValidationEmailRequest
{
    /// <summary>The certificate's ARN.</summary>
    public required string CertificateArn { get; init; }

    /// <summary>One of the certificate's domains.</summary>
    public required string Domain { get; init; }

    /// <summary>The domain whose contacts are mailed: <see cref="Domain"/> or a superdomain of it.</summary>
    public required string ValidationDomain { get; init; }
}

/// <summary>ResendValidationEmail response (empty, as AWS's).</summary>
public sealed record ResendValidationEmailResponse;
