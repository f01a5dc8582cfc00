using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vaultlib.Audit;

/// <summary>Who made a call, as CloudTrail's <c>userIdentity</c> describes it.</summary>
public sealed record AuditUserIdentity
{
    /// <summary><c>Root</c>, <c>IAMUser</c>, <c>AssumedRole</c> or <c>AWSService</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The principal's ARN (or the service name for <c>AWSService</c>).</summary>
    public required string Arn { get; init; }

    /// <summary>The principal's account, when it has one.</summary>
    public string? AccountId { get; init; }

    /// <summary>The identity of a caller's ARN: root, user, assumed role or service.</summary>
    public static AuditUserIdentity From(string principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        string[] parts = principal.Split(':', 6);
        if (parts.Length != 6)
        {
            return new AuditUserIdentity { Type = "AWSService", Arn = principal };
        }

        string type = parts[5] == "root" ? "Root" : parts[5].StartsWith("assumed-role/", StringComparison.Ordinal) || parts[5].StartsWith("role/", StringComparison.Ordinal) ? "AssumedRole" : "IAMUser";
        return new AuditUserIdentity { Type = type, Arn = principal, AccountId = parts[4] };
    }
}

/// <summary>A resource a call acted on (CloudTrail's <c>resources</c>).</summary>
/// <param name="ARN">The resource ARN.</param>
/// <param name="AccountId">The account that owns it.</param>
/// <param name="Type">The CloudFormation-style type, e.g. <c>AWS::KMS::Key</c>.</param>
public sealed record AuditResource(string ARN, string AccountId, string Type);

/// <summary>
/// One call of a Vaultlib service, succeeded or failed, shaped like a CloudTrail record. Request
/// parameters and response elements never hold bytes (plaintexts, ciphertexts, keys, signatures,
/// MACs): every binary member is written as <c>HIDDEN_DUE_TO_SECURITY_REASONS</c>, as CloudTrail
/// hides sensitive values.
/// </summary>
public sealed record AuditEvent
{
    /// <summary>The placeholder that stands for a hidden value.</summary>
    public const string Hidden = "HIDDEN_DUE_TO_SECURITY_REASONS";

    /// <summary>The record format version.</summary>
    public string EventVersion { get; init; } = "1.09";

    /// <summary>When the call was made (from the service's clock).</summary>
    public required DateTimeOffset EventTime { get; init; }

    /// <summary>The service, e.g. <c>kms.amazonaws.com</c>.</summary>
    public required string EventSource { get; init; }

    /// <summary>The operation, e.g. <c>Encrypt</c>.</summary>
    public required string EventName { get; init; }

    /// <summary>The region.</summary>
    public required string AwsRegion { get; init; }

    /// <summary>Who called.</summary>
    public required AuditUserIdentity UserIdentity { get; init; }

    /// <summary>The caller's address, when known.</summary>
    public string? SourceIPAddress { get; init; }

    /// <summary>The caller's user agent, when known.</summary>
    public string? UserAgent { get; init; }

    private JsonObject? _requestParameters;
    private JsonObject? _responseElements;

    /// <summary>The request's members, with every binary member hidden (parsed when first read).</summary>
    public JsonObject? RequestParameters
    {
        get => _requestParameters ??= Parse(RequestJson);
        init => _requestParameters = value;
    }

    /// <summary>The response's members, with every binary member hidden; null for a failed call (parsed when first read).</summary>
    public JsonObject? ResponseElements
    {
        get => _responseElements ??= Parse(ResponseJson);
        init => _responseElements = value;
    }

    /// <summary>The request parameters as UTF-8 JSON, snapshotted when the call was made.</summary>
    internal ReadOnlyMemory<byte> RequestJson { get; init; }

    /// <summary>The response elements as UTF-8 JSON, snapshotted when the call was made.</summary>
    internal ReadOnlyMemory<byte> ResponseJson { get; init; }

    private static JsonObject? Parse(ReadOnlyMemory<byte> json) => json.IsEmpty ? null : JsonNode.Parse(json.Span) as JsonObject;

    /// <summary>The AWS error code of a failed call.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The error message of a failed call (Vaultlib messages never carry secret bytes).</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>The resources the call acted on.</summary>
    public IReadOnlyList<AuditResource> Resources { get; init; } = [];

    /// <summary>A fresh id per request.</summary>
    public required string RequestID { get; init; }

    /// <summary>A fresh id per event.</summary>
    public required string EventID { get; init; }

    /// <summary>Whether the call changes nothing.</summary>
    public required bool ReadOnly { get; init; }

    /// <summary><c>AwsApiCall</c> for a call; <c>AwsServiceEvent</c> for what a service did on its own (an automatic rotation, a deletion at the end of its window).</summary>
    public string EventType { get; init; } = "AwsApiCall";

    /// <summary>The account whose resources were used.</summary>
    public required string RecipientAccountId { get; init; }

    /// <summary>One line of JSON with CloudTrail's member names.</summary>
    public string ToJson()
    {
        var json = new JsonObject
        {
            ["eventVersion"] = EventVersion,
            ["userIdentity"] = new JsonObject { ["type"] = UserIdentity.Type, ["arn"] = UserIdentity.Arn, ["accountId"] = UserIdentity.AccountId },
            ["eventTime"] = EventTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["eventSource"] = EventSource,
            ["eventName"] = EventName,
            ["awsRegion"] = AwsRegion,
            ["sourceIPAddress"] = SourceIPAddress,
            ["userAgent"] = UserAgent,
            ["requestParameters"] = RequestParameters?.DeepClone(),
            ["responseElements"] = ResponseElements?.DeepClone(),
            ["requestID"] = RequestID,
            ["eventID"] = EventID,
            ["readOnly"] = ReadOnly,
            ["resources"] = new JsonArray([.. Resources.Select(r => (JsonNode)new JsonObject { ["accountId"] = r.AccountId, ["type"] = r.Type, ["ARN"] = r.ARN })]),
            ["eventType"] = EventType,
            ["recipientAccountId"] = RecipientAccountId,
        };
        if (ErrorCode is not null)
        {
            json["errorCode"] = ErrorCode;
            json["errorMessage"] = ErrorMessage;
        }

        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    /// <summary>Operation, resource and outcome only.</summary>
    public override string ToString() => $"{EventSource} {EventName} {string.Join(",", Resources.Select(r => r.ARN))} {ErrorCode ?? "ok"}";
}
