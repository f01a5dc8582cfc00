using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Vaultlib.Internal;
using Vaultlib.Pipeline;

namespace Vaultlib.Audit;

/// <summary>
/// What one service tells the audit recorder about itself: its CloudTrail event source, the
/// source-generated JSON shapes of its requests and responses, and the resource type of an ARN.
/// The recorder itself knows no service.
/// </summary>
internal sealed class AuditProfile
{
    public AuditProfile(string eventSource, JsonSerializerContext shapes, Func<string, string> resourceTypeOf)
    {
        EventSource = eventSource;
        ResourceTypeOf = resourceTypeOf;
        Json = new JsonSerializerOptions(shapes.Options) { TypeInfoResolver = shapes.WithAddedModifier(AuditJson.HideSecrets) };
        Json.MakeReadOnly();
    }

    /// <summary>CloudTrail's <c>eventSource</c>, e.g. <c>kms.amazonaws.com</c>.</summary>
    public string EventSource { get; }

    /// <summary>The CloudFormation-style type of a resource ARN, e.g. <c>AWS::KMS::Key</c>.</summary>
    public Func<string, string> ResourceTypeOf { get; }

    /// <summary>Serialization of the service's requests and responses, with every secret member hidden.</summary>
    public JsonSerializerOptions Json { get; }
}

/// <summary>
/// Turns one request's outcome into an <see cref="AuditEvent"/> for the pipeline: identity from the
/// request context, parameters from the request with every secret member hidden, resources by ARN.
/// A failing sink is logged and does not fail the call (the call's own outcome stands).
/// </summary>
internal sealed class AuditRecorder(IAuditSink sink, AuditProfile profile, VaultlibOptions options, TimeProvider time, ILogger logger)
{
    private static readonly BoundedCache<AuditUserIdentity> s_identities = new();
    private readonly BoundedCache<string> _resourceTypes = new();

    /// <summary>Records an API call, succeeded or failed.</summary>
    public void Record<TRequest, TResponse>(Operation operation, TRequest request, TResponse? response, string? resourceArn, Exception? error, RequestContext context)
    {
        Write(operation.Name, new AuditEvent
        {
            EventTime = time.GetUtcNow(),
            EventSource = profile.EventSource,
            EventName = operation.Name,
            AwsRegion = options.Region,
            UserIdentity = s_identities.Get(context.Caller.Principal, AuditUserIdentity.From),
            SourceIPAddress = context.Caller.SourceIp ?? context.Caller.ViaService,
            UserAgent = context.Caller.UserAgent,
            RequestJson = ToJson(request),
            ResponseJson = error is null ? ToJson(response) : default,
            ErrorCode = error is null ? null : VaultlibException.CodeOf(error),
            ErrorMessage = error?.Message,
            Resources = Resources(resourceArn),
            RequestID = AuditIds.Next(),
            EventID = AuditIds.Next(),
            ReadOnly = operation.ReadOnly,
            RecipientAccountId = options.AccountId,
        });
    }

    /// <summary>
    /// Records something the service did on its own (an automatic rotation, the end of a deletion
    /// window), as CloudTrail records it: an <c>AwsServiceEvent</c> invoked by the service, dated
    /// when it fell due.
    /// </summary>
    public void RecordServiceEvent(string eventName, string resourceArn, DateTimeOffset at)
    {
        Write(eventName, new AuditEvent
        {
            EventTime = at,
            EventSource = profile.EventSource,
            EventName = eventName,
            AwsRegion = options.Region,
            UserIdentity = new AuditUserIdentity { Type = "AWSService", Arn = profile.EventSource, AccountId = options.AccountId },
            SourceIPAddress = profile.EventSource,
            Resources = Resources(resourceArn),
            RequestID = AuditIds.Next(),
            EventID = AuditIds.Next(),
            ReadOnly = false,
            EventType = "AwsServiceEvent",
            RecipientAccountId = options.AccountId,
        });
    }

    private void Write(string eventName, AuditEvent auditEvent)
    {
        try
        {
            sink.Write(auditEvent);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or AggregateException)
        {
            Internal.Log.AuditSinkFailed(logger, profile.EventSource, eventName, ex.GetType().Name);
        }
    }

    /// <summary>Account-level calls (CreateKey, ListKeys, GenerateRandom) name no resource, as in CloudTrail.</summary>
    private AuditResource[] Resources(string? arn) =>
        arn is not null && arn.StartsWith("arn:", StringComparison.Ordinal) && !(arn.Contains(":iam::", StringComparison.Ordinal) && arn.EndsWith(":root", StringComparison.Ordinal))
            ? [new AuditResource(arn, options.AccountId, _resourceTypes.Get(arn, profile.ResourceTypeOf))]
            : [];

    /// <summary>A UTF-8 JSON snapshot of a request or response (every secret member hidden), or empty for types the service did not register.</summary>
    private ReadOnlyMemory<byte> ToJson<T>(T value) =>
        value is not null && profile.Json.TryGetTypeInfo(typeof(T), out JsonTypeInfo? typeInfo)
            ? JsonSerializer.SerializeToUtf8Bytes(value, typeInfo)
            : default;
}

/// <summary>
/// CloudTrail's requestID and eventID: UUID-shaped and unique, from a random 64-bit prefix chosen
/// per process and a counter, because <see cref="Guid.NewGuid"/> reads the system's random source
/// twice per event (about 1 µs of a 7 µs audited call). The ids are identifiers, not secrets.
/// </summary>
internal static class AuditIds
{
    private static readonly ulong s_prefix = BitConverter.ToUInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
    private static long s_counter = BitConverter.ToInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)) & long.MaxValue;

    public static string Next()
    {
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, s_prefix);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes[8..], Interlocked.Increment(ref s_counter));
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40); // version 4
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes, bigEndian: true).ToString("D");
    }
}

/// <summary>The one rule for secrets in audit records, applied to every service's shapes.</summary>
internal static class AuditJson
{
    private static readonly HiddenConverter<ReadOnlyMemory<byte>> s_bytes = new();
    private static readonly HiddenConverter<ReadOnlyMemory<byte>?> s_nullableBytes = new();
    private static readonly HiddenConverter<string> s_string = new();
    private static readonly HiddenConverter<IReadOnlyList<string>> s_strings = new();
    private static readonly HiddenConverter<IReadOnlyDictionary<string, string>> s_map = new();

    /// <summary>
    /// Byte members (plaintexts, ciphertexts, keys, signatures, MACs) are always hidden; members
    /// marked <see cref="SensitiveAttribute"/> are hidden whatever their type. A marked member of a
    /// type this rule cannot hide fails when the shapes are first used, never silently.
    /// </summary>
    public static void HideSecrets(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (JsonPropertyInfo property in typeInfo.Properties)
        {
            if (property.PropertyType == typeof(ReadOnlyMemory<byte>))
            {
                property.CustomConverter = s_bytes;
            }
            else if (property.PropertyType == typeof(ReadOnlyMemory<byte>?))
            {
                property.CustomConverter = s_nullableBytes;
            }
            else if (property.AttributeProvider?.IsDefined(typeof(SensitiveAttribute), inherit: true) == true)
            {
                property.CustomConverter = property.PropertyType switch
                {
                    Type t when t == typeof(string) => s_string,
                    Type t when t == typeof(IReadOnlyList<string>) => s_strings,
                    Type t when t == typeof(IReadOnlyDictionary<string, string>) => s_map,
                    _ => throw new InvalidOperationException($"{typeInfo.Type.Name}.{property.Name} is marked [Sensitive] but its type {property.PropertyType.Name} has no hiding rule."),
                };
            }
        }
    }

    /// <summary>Writes <see cref="AuditEvent.Hidden"/> in place of any value.</summary>
    private sealed class HiddenConverter<T> : JsonConverter<T>
    {
        public override bool HandleNull => false;

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Audit records are written, never read back into requests.");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(AuditEvent.Hidden);
    }
}
