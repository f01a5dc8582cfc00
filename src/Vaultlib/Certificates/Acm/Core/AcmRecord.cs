using System.Text.Json.Serialization;
using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Acm;

/// <summary>
/// An ACM certificate as the store holds it: what was asked, each domain's validation, the issued certificate and
/// chain, and its private key only while the record is written (PKCS#8, inside the vault's sealed record; the view
/// keeps a key object). Immutable; replaced whole on every change.
/// </summary>
internal sealed record AcmRecord : IArnResource
{
    /// <summary>The id in the ARN (a UUID).</summary>
    public required string Id { get; init; }

    public required string Arn { get; init; }

    public required CertificateType Type { get; init; }

    public required CertificateStatus Status { get; init; }

    /// <summary>Every domain, the first being the subject's common name.</summary>
    public required IReadOnlyList<string> Domains { get; init; }

    public ValidationMethod? ValidationMethod { get; init; }

    public required KeyAlgorithm KeyAlgorithm { get; init; }

    public string? CertificateAuthorityArn { get; init; }

    public CertificateOptions? Options { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? IssuedAt { get; init; }

    public DateTimeOffset? ImportedAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    public RevocationReason? RevocationReason { get; init; }

    public FailureReason? FailureReason { get; init; }

    /// <summary>Each domain's validation (requested public certificates).</summary>
    public IReadOnlyList<DomainRecord> Validations { get; init; } = [];

    /// <summary>The certificate (DER), once issued or imported.</summary>
    public byte[]? Certificate { get; init; }

    /// <summary>The chain above it (DER, nearest first).</summary>
    public IReadOnlyList<byte[]>? Chain { get; init; }

    /// <summary>The private key (PKCS#8); set only in the copy being written, null in the view.</summary>
    public byte[]? PrivateKey { get; init; }

    public IReadOnlyList<string> InUseBy { get; init; } = [];

    /// <summary>Whether it was exported since it was last issued (which makes it eligible for renewal).</summary>
    public bool Exported { get; init; }

    public IReadOnlyList<Tag> Tags { get; init; } = [];

    public string? IdempotencyToken { get; init; }

    /// <summary>The current certificate's serial number, lower-case hex without separators (as Private CA keys its certificates).</summary>
    public string? Serial { get; init; }

    /// <summary>The start of the current certificate's validity.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>The end of the current certificate's validity.</summary>
    public DateTimeOffset? NotAfter { get; init; }

    /// <summary>The current managed renewal, once one has begun.</summary>
    public RenewalRecord? Renewal { get; init; }

    /// <summary>The fewest days before expiry an expiry-approaching event was sent for, for the current certificate.</summary>
    public int? ExpiryNoticeDays { get; init; }

    [JsonIgnore]
    string IArnResource.Arn => Arn;

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Arn = ").Append(Arn).Append(", Status = ").Append(Status);
        return true;
    }
}

/// <summary>One domain's validation. The email approval token is a capability: never printed, logged or audited.</summary>
internal sealed record DomainRecord
{
    public required string DomainName { get; init; }

    public required string ValidationDomain { get; init; }

    public required DomainStatus Status { get; init; }

    /// <summary>The CNAME's name (DNS validation).</summary>
    public string? RecordName { get; init; }

    /// <summary>The CNAME's value (DNS validation).</summary>
    public string? RecordValue { get; init; }

    /// <summary>The approval link's token (email validation).</summary>
    public string? ApprovalToken { get; init; }

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("DomainName = ").Append(DomainName).Append(", Status = ").Append(Status);
        return true;
    }
}

/// <summary>A managed renewal in progress or done.</summary>
internal sealed record RenewalRecord
{
    public required RenewalStatus Status { get; init; }

    public required IReadOnlyList<DomainRecord> Validations { get; init; }

    public FailureReason? Reason { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The NotAfter of the certificate this renewal replaces.</summary>
    public required DateTimeOffset For { get; init; }
}

/// <summary>The account's own records: the secret validation records derive from, and the local public-like root.</summary>
internal sealed record AcmAccountRecord
{
    /// <summary>32 random bytes; the DNS validation records are derived from it, so they are stable per domain, as ACM's are.</summary>
    public required byte[] Secret { get; init; }

    /// <summary>The local root's key (PKCS#8); set only in the copy being written.</summary>
    public byte[]? RootKey { get; init; }

    /// <summary>The local root's certificate (DER).</summary>
    public required byte[] RootCertificate { get; init; }

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("RootCertificate = ").Append(RootCertificate.Length).Append(" bytes");
        return true;
    }
}

/// <summary>Source-generated (AOT-safe) serialization of ACM's records inside sealed store records.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(AcmRecord))]
[JsonSerializable(typeof(AcmAccountRecord))]
[JsonSerializable(typeof(CertificateManagerEvent))]
internal sealed partial class AcmRecordJsonContext : JsonSerializerContext;
