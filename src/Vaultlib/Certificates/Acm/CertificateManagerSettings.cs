namespace Vaultlib.Certificates.Acm;

/// <summary>What ACM needs beyond the shared services' settings: how it validates domains and which Private CA issues private certificates.</summary>
public sealed record CertificateManagerSettings
{
    /// <summary>The resolver DNS validation asks (the system's DNS servers through DnsClient.NET when null).</summary>
    public IDnsValidationResolver? DnsResolver { get; init; }

    /// <summary>Where validation mails go (logged when null).</summary>
    public IValidationEmailSender? EmailSender { get; init; }

    /// <summary>The Private CA of the same Region and account that RequestCertificate's <c>CertificateAuthorityArn</c> names; private certificates are refused without one.</summary>
    public PrivateCertificateAuthority? PrivateCertificateAuthority { get; init; }

    /// <summary>How often pending DNS validation is looked up again (ACM checks every few minutes; default 5 minutes).</summary>
    public TimeSpan DnsCheckInterval { get; init; } = TimeSpan.FromMinutes(5);
}
