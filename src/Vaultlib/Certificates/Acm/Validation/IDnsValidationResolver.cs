namespace Vaultlib.Certificates.Acm;

/// <summary>
/// Looks up the CNAME records that prove domain ownership, as ACM does before it issues or renews a DNS-validated
/// certificate. <see cref="DnsClientValidationResolver"/> asks real DNS servers; tests give it one on loopback.
/// </summary>
public interface IDnsValidationResolver
{
    /// <summary>The targets of the CNAME records named <paramref name="name"/> (fully qualified, with its final dot); empty when there are none or the name does not exist.</summary>
    /// <param name="name">The record's name.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <exception cref="System.IO.IOException">The DNS servers could not be reached (the check is tried again later).</exception>
    ValueTask<IReadOnlyList<string>> LookupCnameAsync(string name, CancellationToken cancellationToken);
}

/// <summary>
/// Delivers ACM's validation mails: to the domain's administrative contacts, with the approval link's token that
/// <see cref="CertificateManager.ApproveDomainValidationAsync"/> takes. <see cref="LoggingValidationEmailSender"/> logs
/// them (without the token); <see cref="InMemoryValidationEmailSender"/> keeps them for tests and development.
/// </summary>
public interface IValidationEmailSender
{
    /// <summary>Sends one validation mail.</summary>
    /// <param name="email">The mail.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    ValueTask SendAsync(ValidationEmail email, CancellationToken cancellationToken);
}

/// <summary>One validation mail. <see cref="object.ToString"/> never shows the approval token.</summary>
public sealed record ValidationEmail
{
    /// <summary>The certificate's ARN.</summary>
    public required string CertificateArn { get; init; }

    /// <summary>The domain to approve.</summary>
    public required string DomainName { get; init; }

    /// <summary>The domain whose contacts are mailed.</summary>
    public required string ValidationDomain { get; init; }

    /// <summary>The addresses: admin@, administrator@, hostmaster@, postmaster@ and webmaster@ the validation domain.</summary>
    public required IReadOnlyList<string> Recipients { get; init; }

    /// <summary>The approval link's token: following the link is calling <see cref="CertificateManager.ApproveDomainValidationAsync"/> with it.</summary>
    public required string ApprovalToken { get; init; }

    /// <summary>Whether the mail is for a renewal.</summary>
    public bool Renewal { get; init; }

    /// <summary>When the approval link stops working.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("CertificateArn = ").Append(CertificateArn).Append(", DomainName = ").Append(DomainName).Append(", ApprovalToken = (hidden)");
        return true;
    }
}
