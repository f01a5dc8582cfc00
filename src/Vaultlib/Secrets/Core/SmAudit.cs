using System.Text.Json.Serialization;
using Vaultlib.Audit;

namespace Vaultlib.Secrets;

/// <summary>What Secrets Manager tells the audit recorder: its event source, its shapes, and its resource type.</summary>
internal static class SmAudit
{
    public static AuditProfile Profile { get; } = new("secretsmanager.amazonaws.com", SmAuditJsonContext.Default, static _ => "AWS::SecretsManager::Secret");
}

/// <summary>Source-generated (AOT-safe) serialization of the Secrets Manager requests and responses audit records show (values hidden).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateSecretRequest))]
[JsonSerializable(typeof(CreateSecretResponse))]
[JsonSerializable(typeof(GetSecretValueRequest))]
[JsonSerializable(typeof(GetSecretValueResponse))]
[JsonSerializable(typeof(BatchGetSecretValueRequest))]
[JsonSerializable(typeof(BatchGetSecretValueResponse))]
[JsonSerializable(typeof(PutSecretValueRequest))]
[JsonSerializable(typeof(PutSecretValueResponse))]
[JsonSerializable(typeof(UpdateSecretRequest))]
[JsonSerializable(typeof(UpdateSecretResponse))]
[JsonSerializable(typeof(DescribeSecretRequest))]
[JsonSerializable(typeof(DescribeSecretResponse))]
[JsonSerializable(typeof(ListSecretsRequest))]
[JsonSerializable(typeof(ListSecretsResponse))]
[JsonSerializable(typeof(ListSecretVersionIdsRequest))]
[JsonSerializable(typeof(ListSecretVersionIdsResponse))]
[JsonSerializable(typeof(UpdateSecretVersionStageRequest))]
[JsonSerializable(typeof(UpdateSecretVersionStageResponse))]
[JsonSerializable(typeof(DeleteSecretRequest))]
[JsonSerializable(typeof(DeleteSecretResponse))]
[JsonSerializable(typeof(RestoreSecretRequest))]
[JsonSerializable(typeof(RestoreSecretResponse))]
[JsonSerializable(typeof(TagResourceRequest))]
[JsonSerializable(typeof(TagResourceResponse))]
[JsonSerializable(typeof(UntagResourceRequest))]
[JsonSerializable(typeof(UntagResourceResponse))]
[JsonSerializable(typeof(GetRandomPasswordRequest))]
[JsonSerializable(typeof(GetRandomPasswordResponse))]
[JsonSerializable(typeof(PutResourcePolicyRequest))]
[JsonSerializable(typeof(PutResourcePolicyResponse))]
[JsonSerializable(typeof(GetResourcePolicyRequest))]
[JsonSerializable(typeof(GetResourcePolicyResponse))]
[JsonSerializable(typeof(DeleteResourcePolicyRequest))]
[JsonSerializable(typeof(DeleteResourcePolicyResponse))]
[JsonSerializable(typeof(ValidateResourcePolicyRequest))]
[JsonSerializable(typeof(ValidateResourcePolicyResponse))]
[JsonSerializable(typeof(RotateSecretRequest))]
[JsonSerializable(typeof(RotateSecretResponse))]
[JsonSerializable(typeof(CancelRotateSecretRequest))]
[JsonSerializable(typeof(CancelRotateSecretResponse))]
[JsonSerializable(typeof(ReplicateSecretToRegionsRequest))]
[JsonSerializable(typeof(ReplicateSecretToRegionsResponse))]
[JsonSerializable(typeof(RemoveRegionsFromReplicationRequest))]
[JsonSerializable(typeof(RemoveRegionsFromReplicationResponse))]
[JsonSerializable(typeof(StopReplicationToReplicaRequest))]
[JsonSerializable(typeof(StopReplicationToReplicaResponse))]
internal sealed partial class SmAuditJsonContext : JsonSerializerContext;
