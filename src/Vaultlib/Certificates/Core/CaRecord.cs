using System.Text.Json.Serialization;
using Vaultlib.Pipeline;

namespace Vaultlib.Certificates;

/// <summary>
/// A private CA as the store holds it. Its private key is in the record only while it is written (PKCS#8, inside the
/// vault's sealed record, never at rest in plaintext); the view keeps it as a key object in <see cref="CaKeys"/>.
/// Immutable; replaced whole on every change.
/// </summary>
internal sealed record CaRecord : IArnResource
{
    /// <summary>The id in the ARN (a UUID).</summary>
    public required string Id { get; init; }

    public required string Arn { get; init; }

    public required CertificateAuthorityType Type { get; init; }

    public required CertificateAuthorityStatus Status { get; init; }

    public required CertificateAuthorityConfiguration Configuration { get; init; }

    public RevocationConfiguration? Revocation { get; init; }

    public required CertificateAuthorityUsageMode UsageMode { get; init; }

    public string? KeyStorageSecurityStandard { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset LastStateChangeAt { get; init; }

    /// <summary>When a deleted CA is purged (it can be restored until then).</summary>
    public DateTimeOffset? RestorableUntil { get; init; }

    /// <summary>The status before deletion, which RestoreCertificateAuthority brings back.</summary>
    public CertificateAuthorityStatus? StatusBeforeDeletion { get; init; }

    public required IReadOnlyList<Tag> Tags { get; init; }

    /// <summary>The creation request's idempotency token, if any.</summary>
    public string? IdempotencyToken { get; init; }

    /// <summary>The CA's certificate signing request (DER).</summary>
    public required byte[] Csr { get; init; }

    /// <summary>The CA's certificate (DER), once imported.</summary>
    public byte[]? Certificate { get; init; }

    /// <summary>The chain above it (DER, nearest first, up to the root), once imported.</summary>
    public IReadOnlyList<byte[]>? Chain { get; init; }

    /// <summary>The private key (PKCS#8); set only in the copy being written, null in the view.</summary>
    public byte[]? PrivateKey { get; init; }

    [JsonIgnore]
    string IArnResource.Arn => Arn;

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Arn = ").Append(Arn).Append(", Status = ").Append(Status);
        return true;
    }
}

/// <summary>A certificate a CA issued, with its revocation if any. Immutable.</summary>
internal sealed record IssuedCertificateRecord
{
    /// <summary>The issuing CA's id.</summary>
    public required string CaId { get; init; }

    /// <summary>The serial number, lower-case hex without separators.</summary>
    public required string Serial { get; init; }

    /// <summary>The certificate (DER).</summary>
    public required byte[] Certificate { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }

    public required DateTimeOffset NotAfter { get; init; }

    /// <summary>The request's idempotency token, if any.</summary>
    public string? IdempotencyToken { get; init; }

    /// <summary>A fingerprint of what was asked (CSR, template, validity) for the idempotency check.</summary>
    public string? RequestFingerprint { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    public RevocationReason? RevocationReason { get; init; }

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("CaId = ").Append(CaId).Append(", Serial = ").Append(Serial);
        return true;
    }
}

/// <summary>Source-generated (AOT-safe) serialization of CA and certificate records inside sealed store records.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(CaRecord))]
[JsonSerializable(typeof(IssuedCertificateRecord))]
internal sealed partial class CaRecordJsonContext : JsonSerializerContext;
