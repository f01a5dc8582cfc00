using System.Text.Json.Serialization;
using Vaultlib.Audit;

namespace Vaultlib.Certificates;

/// <summary>What Private CA tells the audit recorder: its event source, its shapes, and its resource type.</summary>
internal static class PcaAudit
{
    public static AuditProfile Profile { get; } = new("acm-pca.amazonaws.com", PcaAuditJsonContext.Default, static _ => "AWS::ACMPCA::CertificateAuthority");
}

/// <summary>Source-generated (AOT-safe) serialization of the Private CA requests and responses audit records show.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateCertificateAuthorityRequest))]
[JsonSerializable(typeof(CreateCertificateAuthorityResponse))]
[JsonSerializable(typeof(DescribeCertificateAuthorityRequest))]
[JsonSerializable(typeof(DescribeCertificateAuthorityResponse))]
[JsonSerializable(typeof(ListCertificateAuthoritiesRequest))]
[JsonSerializable(typeof(ListCertificateAuthoritiesResponse))]
[JsonSerializable(typeof(GetCertificateAuthorityCsrRequest))]
[JsonSerializable(typeof(GetCertificateAuthorityCsrResponse))]
[JsonSerializable(typeof(ImportCertificateAuthorityCertificateRequest))]
[JsonSerializable(typeof(ImportCertificateAuthorityCertificateResponse))]
[JsonSerializable(typeof(GetCertificateAuthorityCertificateRequest))]
[JsonSerializable(typeof(GetCertificateAuthorityCertificateResponse))]
[JsonSerializable(typeof(IssueCertificateRequest))]
[JsonSerializable(typeof(IssueCertificateResponse))]
[JsonSerializable(typeof(GetCertificateRequest))]
[JsonSerializable(typeof(GetCertificateResponse))]
[JsonSerializable(typeof(UpdateCertificateAuthorityRequest))]
[JsonSerializable(typeof(UpdateCertificateAuthorityResponse))]
[JsonSerializable(typeof(RevokeCertificateRequest))]
[JsonSerializable(typeof(RevokeCertificateResponse))]
[JsonSerializable(typeof(DeleteCertificateAuthorityRequest))]
[JsonSerializable(typeof(DeleteCertificateAuthorityResponse))]
[JsonSerializable(typeof(RestoreCertificateAuthorityRequest))]
[JsonSerializable(typeof(RestoreCertificateAuthorityResponse))]
[JsonSerializable(typeof(TagCertificateAuthorityRequest))]
[JsonSerializable(typeof(TagCertificateAuthorityResponse))]
[JsonSerializable(typeof(UntagCertificateAuthorityRequest))]
[JsonSerializable(typeof(UntagCertificateAuthorityResponse))]
[JsonSerializable(typeof(ListTagsRequest))]
[JsonSerializable(typeof(ListTagsResponse))]
internal sealed partial class PcaAuditJsonContext : JsonSerializerContext;
