namespace Vaultlib.Certificates.Acm;

/// <summary>
/// An ACM event, shaped as the EventBridge event AWS sends (<c>source</c> <c>aws.acm</c>):
/// <c>ACM Certificate Available</c> when a certificate is issued or renewed, <c>ACM Certificate Approaching Expiration</c>
/// 45, 30, 15, 7, 3 and 1 days before a certificate expires, <c>ACM Certificate Expired</c>, and
/// <c>ACM Certificate Renewal Action Required</c> when a renewal waits for validation. Each is committed with the change
/// that caused it and delivered to the subscribers of every instance sharing the store (see
/// <see cref="CertificateManager.Subscribe"/>). Never carries key material.
/// </summary>
public sealed record CertificateManagerEvent
{
    /// <summary>The event's id (sorts by time).</summary>
    public required string Id { get; init; }

    /// <summary>Always <c>aws.acm</c>.</summary>
    public string Source { get; init; } = "aws.acm";

    /// <summary>The event's type, as AWS names it.</summary>
    public required string DetailType { get; init; }

    /// <summary>The account.</summary>
    public required string Account { get; init; }

    /// <summary>The Region.</summary>
    public required string Region { get; init; }

    /// <summary>When it happened (the due time, for scheduled events).</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The certificate's ARN.</summary>
    public required IReadOnlyList<string> Resources { get; init; }

    /// <summary>The detail, with AWS's member names.</summary>
    public required CertificateManagerEventDetail Detail { get; init; }
}

/// <summary>The <c>detail</c> of a <see cref="CertificateManagerEvent"/>.</summary>
public sealed record CertificateManagerEventDetail
{
    /// <summary>The certificate's first domain.</summary>
    public required string CommonName { get; init; }

    /// <summary>Whole days until the certificate expires (0 once expired).</summary>
    public int? DaysToExpiry { get; init; }

    /// <summary>For <c>ACM Certificate Available</c>: <c>ISSUANCE</c> or <c>RENEWAL</c>.</summary>
    public string? Action { get; init; }

    /// <summary>The certificate's type.</summary>
    public CertificateType? CertificateType { get; init; }

    /// <summary>How its domains are validated.</summary>
    public ValidationMethod? DomainValidationMethod { get; init; }

    /// <summary>When the certificate expires.</summary>
    public DateTimeOffset? CertificateExpirationDate { get; init; }

    /// <summary>For a renewal waiting on validation: its status.</summary>
    public RenewalStatus? RenewalStatus { get; init; }

    /// <summary>Whether a resource uses it.</summary>
    public bool? InUse { get; init; }

    /// <summary>Whether it was exported.</summary>
    public bool? Exported { get; init; }
}
