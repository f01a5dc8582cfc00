using System.Text.Json.Serialization;
using Vaultlib.Audit;

namespace Vaultlib.Certificates.Acm;

/// <summary>What ACM tells the audit recorder: its event source, its shapes, and its resource type.</summary>
internal static class AcmAudit
{
    public static AuditProfile Profile { get; } = new("acm.amazonaws.com", AcmAuditJsonContext.Default, static _ => "AWS::CertificateManager::Certificate");
}

/// <summary>Source-generated (AOT-safe) serialization of the ACM requests and responses audit records show (passphrases and private keys hidden).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RequestCertificateRequest))]
[JsonSerializable(typeof(RequestCertificateResponse))]
[JsonSerializable(typeof(DescribeCertificateRequest))]
[JsonSerializable(typeof(DescribeCertificateResponse))]
[JsonSerializable(typeof(ListCertificatesRequest))]
[JsonSerializable(typeof(ListCertificatesResponse))]
[JsonSerializable(typeof(GetCertificateRequest))]
[JsonSerializable(typeof(GetCertificateResponse))]
[JsonSerializable(typeof(ExportCertificateRequest))]
[JsonSerializable(typeof(ExportCertificateResponse))]
[JsonSerializable(typeof(ImportCertificateRequest))]
[JsonSerializable(typeof(ImportCertificateResponse))]
[JsonSerializable(typeof(RenewCertificateRequest))]
[JsonSerializable(typeof(RenewCertificateResponse))]
[JsonSerializable(typeof(DeleteCertificateRequest))]
[JsonSerializable(typeof(DeleteCertificateResponse))]
[JsonSerializable(typeof(RevokeCertificateRequest))]
[JsonSerializable(typeof(RevokeCertificateResponse))]
[JsonSerializable(typeof(ResendValidationEmailRequest))]
[JsonSerializable(typeof(ResendValidationEmailResponse))]
[JsonSerializable(typeof(AddTagsToCertificateRequest))]
[JsonSerializable(typeof(AddTagsToCertificateResponse))]
[JsonSerializable(typeof(RemoveTagsFromCertificateRequest))]
[JsonSerializable(typeof(RemoveTagsFromCertificateResponse))]
[JsonSerializable(typeof(ListTagsForCertificateRequest))]
[JsonSerializable(typeof(ListTagsForCertificateResponse))]
internal sealed partial class AcmAuditJsonContext : JsonSerializerContext;
