using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Vaultlib.Authorization;
using Vaultlib.Keys;

namespace Vaultlib.Audit;

/// <summary>
/// Turns one request's outcome into an <see cref="AuditEvent"/> for the pipeline: identity from the
/// current caller, parameters from the request with every binary member hidden, resources by ARN.
/// A failing sink is logged and does not fail the call (the call's own outcome stands).
/// </summary>
internal sealed class AuditRecorder(IAuditSink sink, VaultlibOptions options, TimeProvider time, ILogger logger)
{
    // Grant tokens are bearer material: left out of requests (RetireGrant, GrantTokens) and responses (CreateGrant).
    private static readonly JsonSerializerOptions s_options = new(AuditJsonContext.Default.Options)
    {
        TypeInfoResolver = AuditJsonContext.Default.WithAddedModifier(static typeInfo =>
        {
            foreach (System.Text.Json.Serialization.Metadata.JsonPropertyInfo property in typeInfo.Properties)
            {
                if (property.Name is "grantTokens" or "grantToken")
                {
                    property.ShouldSerialize = static (_, _) => false;
                }
            }
        }),
    };

    public void Record<TRequest, TResponse>(Pipeline.Operation operation, TRequest request, TResponse? response, string? resourceArn, Exception? error)
    {
        CallerIdentity caller = VaultlibCaller.Resolve(options);
        var auditEvent = new AuditEvent
        {
            EventTime = time.GetUtcNow(),
            EventSource = $"{operation.Service}.amazonaws.com",
            EventName = operation.Name,
            AwsRegion = options.Region,
            UserIdentity = AuditUserIdentity.From(caller.Principal),
            SourceIPAddress = caller.SourceIp ?? caller.ViaService,
            RequestJson = ToJson(request),
            ResponseJson = error is null ? ToJson(response) : default,
            ErrorCode = error is null ? null : (error as VaultlibException)?.ErrorCode ?? error.GetType().Name,
            ErrorMessage = error?.Message,
            Resources = IsResource(resourceArn) ? [new AuditResource(resourceArn!, options.AccountId, ResourceType(resourceArn!))] : [],
            RequestID = Guid.NewGuid().ToString("D"),
            EventID = Guid.NewGuid().ToString("D"),
            ReadOnly = operation.ReadOnly,
            RecipientAccountId = options.AccountId,
        };
        try
        {
            sink.Write(auditEvent);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or AggregateException)
        {
            Internal.Log.AuditSinkFailed(logger, operation.Service, operation.Name, ex.GetType().Name);
        }
    }

    /// <summary>Account-level calls (CreateKey, ListKeys, GenerateRandom) name no resource, as in CloudTrail.</summary>
    private static bool IsResource(string? arn) =>
        arn is not null && arn.StartsWith("arn:", StringComparison.Ordinal) && !(arn.Contains(":iam::", StringComparison.Ordinal) && arn.EndsWith(":root", StringComparison.Ordinal));

    private static string ResourceType(string arn) => arn.Split(':', 6) is [_, _, var service, _, _, var resource]
        ? service switch
        {
            "kms" when resource.StartsWith("alias/", StringComparison.Ordinal) => "AWS::KMS::Alias",
            "kms" => "AWS::KMS::Key",
            "iam" => "AWS::IAM::Account",
            _ => $"AWS::{service.ToUpperInvariant()}::Resource",
        }
        : "Unknown";

    /// <summary>A UTF-8 JSON snapshot of a request or response (every byte member hidden), or empty for types the audit does not know.</summary>
    private static ReadOnlyMemory<byte> ToJson<T>(T value) =>
        value is not null && s_options.TryGetTypeInfo(typeof(T), out System.Text.Json.Serialization.Metadata.JsonTypeInfo? typeInfo)
            ? JsonSerializer.SerializeToUtf8Bytes(value, typeInfo)
            : default;
}

/// <summary>Writes every byte member as <see cref="AuditEvent.Hidden"/>: plaintexts, ciphertexts, keys, signatures and MACs never reach a record.</summary>
internal sealed class HiddenBytesConverter : JsonConverter<ReadOnlyMemory<byte>>
{
    public override ReadOnlyMemory<byte> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Audit records are written, never read back into requests.");

    public override void Write(Utf8JsonWriter writer, ReadOnlyMemory<byte> value, JsonSerializerOptions options) =>
        writer.WriteStringValue(AuditEvent.Hidden);
}

/// <summary>Source-generated (AOT-safe) serialization of the requests and responses audit records show.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(HiddenBytesConverter)])]
[JsonSerializable(typeof(CreateKeyRequest))]
[JsonSerializable(typeof(CreateKeyResponse))]
[JsonSerializable(typeof(DescribeKeyRequest))]
[JsonSerializable(typeof(DescribeKeyResponse))]
[JsonSerializable(typeof(ListKeysRequest))]
[JsonSerializable(typeof(ListKeysResponse))]
[JsonSerializable(typeof(UpdateKeyDescriptionRequest))]
[JsonSerializable(typeof(UpdateKeyDescriptionResponse))]
[JsonSerializable(typeof(EnableKeyRequest))]
[JsonSerializable(typeof(EnableKeyResponse))]
[JsonSerializable(typeof(DisableKeyRequest))]
[JsonSerializable(typeof(DisableKeyResponse))]
[JsonSerializable(typeof(ScheduleKeyDeletionRequest))]
[JsonSerializable(typeof(ScheduleKeyDeletionResponse))]
[JsonSerializable(typeof(CancelKeyDeletionRequest))]
[JsonSerializable(typeof(CancelKeyDeletionResponse))]
[JsonSerializable(typeof(TagResourceRequest))]
[JsonSerializable(typeof(TagResourceResponse))]
[JsonSerializable(typeof(UntagResourceRequest))]
[JsonSerializable(typeof(UntagResourceResponse))]
[JsonSerializable(typeof(ListResourceTagsRequest))]
[JsonSerializable(typeof(ListResourceTagsResponse))]
[JsonSerializable(typeof(CreateAliasRequest))]
[JsonSerializable(typeof(CreateAliasResponse))]
[JsonSerializable(typeof(UpdateAliasRequest))]
[JsonSerializable(typeof(UpdateAliasResponse))]
[JsonSerializable(typeof(DeleteAliasRequest))]
[JsonSerializable(typeof(DeleteAliasResponse))]
[JsonSerializable(typeof(ListAliasesRequest))]
[JsonSerializable(typeof(ListAliasesResponse))]
[JsonSerializable(typeof(EncryptRequest))]
[JsonSerializable(typeof(EncryptResponse))]
[JsonSerializable(typeof(DecryptRequest))]
[JsonSerializable(typeof(DecryptResponse))]
[JsonSerializable(typeof(ReEncryptRequest))]
[JsonSerializable(typeof(ReEncryptResponse))]
[JsonSerializable(typeof(GenerateDataKeyRequest))]
[JsonSerializable(typeof(GenerateDataKeyResponse))]
[JsonSerializable(typeof(GenerateDataKeyWithoutPlaintextRequest))]
[JsonSerializable(typeof(GenerateDataKeyWithoutPlaintextResponse))]
[JsonSerializable(typeof(GenerateRandomRequest))]
[JsonSerializable(typeof(GenerateRandomResponse))]
[JsonSerializable(typeof(EnableKeyRotationRequest))]
[JsonSerializable(typeof(EnableKeyRotationResponse))]
[JsonSerializable(typeof(DisableKeyRotationRequest))]
[JsonSerializable(typeof(DisableKeyRotationResponse))]
[JsonSerializable(typeof(GetKeyRotationStatusRequest))]
[JsonSerializable(typeof(GetKeyRotationStatusResponse))]
[JsonSerializable(typeof(RotateKeyOnDemandRequest))]
[JsonSerializable(typeof(RotateKeyOnDemandResponse))]
[JsonSerializable(typeof(ListKeyRotationsRequest))]
[JsonSerializable(typeof(ListKeyRotationsResponse))]
[JsonSerializable(typeof(PutKeyPolicyRequest))]
[JsonSerializable(typeof(PutKeyPolicyResponse))]
[JsonSerializable(typeof(GetKeyPolicyRequest))]
[JsonSerializable(typeof(GetKeyPolicyResponse))]
[JsonSerializable(typeof(ListKeyPoliciesRequest))]
[JsonSerializable(typeof(ListKeyPoliciesResponse))]
[JsonSerializable(typeof(CreateGrantRequest))]
[JsonSerializable(typeof(CreateGrantResponse))]
[JsonSerializable(typeof(ListGrantsRequest))]
[JsonSerializable(typeof(ListGrantsResponse))]
[JsonSerializable(typeof(ListRetirableGrantsRequest))]
[JsonSerializable(typeof(RetireGrantRequest))]
[JsonSerializable(typeof(RetireGrantResponse))]
[JsonSerializable(typeof(RevokeGrantRequest))]
[JsonSerializable(typeof(RevokeGrantResponse))]
[JsonSerializable(typeof(SignRequest))]
[JsonSerializable(typeof(SignResponse))]
[JsonSerializable(typeof(VerifyRequest))]
[JsonSerializable(typeof(VerifyResponse))]
[JsonSerializable(typeof(GetPublicKeyRequest))]
[JsonSerializable(typeof(GetPublicKeyResponse))]
[JsonSerializable(typeof(GenerateMacRequest))]
[JsonSerializable(typeof(GenerateMacResponse))]
[JsonSerializable(typeof(VerifyMacRequest))]
[JsonSerializable(typeof(VerifyMacResponse))]
[JsonSerializable(typeof(GenerateDataKeyPairRequest))]
[JsonSerializable(typeof(GenerateDataKeyPairResponse))]
[JsonSerializable(typeof(GenerateDataKeyPairWithoutPlaintextRequest))]
[JsonSerializable(typeof(GenerateDataKeyPairWithoutPlaintextResponse))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
