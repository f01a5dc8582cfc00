using System.Text.Json.Serialization;
using Vaultlib.Audit;

namespace Vaultlib.Parameters;

/// <summary>What Parameter Store tells the audit recorder: its event source, its shapes, and its resource type.</summary>
internal static class SsmAudit
{
    public static AuditProfile Profile { get; } = new("ssm.amazonaws.com", SsmAuditJsonContext.Default, static _ => "AWS::SSM::Parameter");
}

/// <summary>Source-generated (AOT-safe) serialization of the SSM requests and responses audit records show.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PutParameterRequest))]
[JsonSerializable(typeof(PutParameterResponse))]
[JsonSerializable(typeof(GetParameterRequest))]
[JsonSerializable(typeof(GetParameterResponse))]
[JsonSerializable(typeof(GetParametersRequest))]
[JsonSerializable(typeof(GetParametersResponse))]
[JsonSerializable(typeof(GetParametersByPathRequest))]
[JsonSerializable(typeof(GetParametersByPathResponse))]
[JsonSerializable(typeof(GetParameterHistoryRequest))]
[JsonSerializable(typeof(GetParameterHistoryResponse))]
[JsonSerializable(typeof(DescribeParametersRequest))]
[JsonSerializable(typeof(DescribeParametersResponse))]
[JsonSerializable(typeof(DeleteParameterRequest))]
[JsonSerializable(typeof(DeleteParameterResponse))]
[JsonSerializable(typeof(DeleteParametersRequest))]
[JsonSerializable(typeof(DeleteParametersResponse))]
[JsonSerializable(typeof(LabelParameterVersionRequest))]
[JsonSerializable(typeof(LabelParameterVersionResponse))]
[JsonSerializable(typeof(UnlabelParameterVersionRequest))]
[JsonSerializable(typeof(UnlabelParameterVersionResponse))]
[JsonSerializable(typeof(AddTagsToResourceRequest))]
[JsonSerializable(typeof(AddTagsToResourceResponse))]
[JsonSerializable(typeof(RemoveTagsFromResourceRequest))]
[JsonSerializable(typeof(RemoveTagsFromResourceResponse))]
[JsonSerializable(typeof(ListTagsForResourceRequest))]
[JsonSerializable(typeof(ListTagsForResourceResponse))]
internal sealed partial class SsmAuditJsonContext : JsonSerializerContext;
