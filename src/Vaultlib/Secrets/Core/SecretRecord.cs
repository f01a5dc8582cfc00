using System.Text.Json.Serialization;
using Vaultlib.Authorization;
using Vaultlib.Pipeline;

namespace Vaultlib.Secrets;

/// <summary>
/// One version of a secret as the store holds it: its value only ever as ciphertext (<see cref="Ciphertext"/>, see
/// <see cref="SecretCrypto"/>), under the KMS key <see cref="KeyArn"/>, with its staging labels. Immutable.
/// </summary>
internal sealed record SecretVersionRecord
{
    /// <summary>The version id (the request's <c>ClientRequestToken</c>, or a UUID).</summary>
    public required string VersionId { get; init; }

    /// <summary>The sealed value; null for the version a rotation labels AWSPENDING before its function puts a value.</summary>
    public byte[]? Ciphertext { get; init; }

    /// <summary>Whether the value is <c>SecretBinary</c> rather than <c>SecretString</c>.</summary>
    public bool Binary { get; init; }

    /// <summary>The ARN of the KMS key the value is encrypted under.</summary>
    public string? KeyArn { get; init; }

    /// <summary>The staging labels, in the order they were attached.</summary>
    public required IReadOnlyList<string> Stages { get; init; }

    public required DateTimeOffset CreatedDate { get; init; }

    /// <summary>The day the version was last read (AWS keeps the date only).</summary>
    public DateTimeOffset? LastAccessedDate { get; init; }

    /// <summary>Whether the version has <paramref name="stage"/>.</summary>
    public bool Has(string stage) => Stages.Contains(stage, StringComparer.Ordinal);

    // The generated ToString would list the ciphertext; keep it to identity.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("VersionId = ").Append(VersionId).Append(", Stages = ").Append(string.Join('|', Stages));
        return true;
    }
}

/// <summary>A secret: its name, settings, tags and versions (newest last). Immutable; replaced whole on every change.</summary>
internal sealed record SecretRecord : IArnResource
{
    public required string Name { get; init; }

    public required string Arn { get; init; }

    public string? Description { get; init; }

    /// <summary>The KMS key as the request named it; null for <c>alias/aws/secretsmanager</c>.</summary>
    public string? KmsKeyId { get; init; }

    public required DateTimeOffset CreatedDate { get; init; }

    public required DateTimeOffset LastChangedDate { get; init; }

    /// <summary>The day the secret was last read.</summary>
    public DateTimeOffset? LastAccessedDate { get; init; }

    /// <summary>When DeleteSecret scheduled the secret for deletion; null when it is not.</summary>
    public DateTimeOffset? DeletedDate { get; init; }

    /// <summary>When the scheduler purges a secret scheduled for deletion.</summary>
    public DateTimeOffset? PurgeDate { get; init; }

    public required IReadOnlyList<Tag> Tags { get; init; }

    /// <summary>The versions, oldest first.</summary>
    public required IReadOnlyList<SecretVersionRecord> Versions { get; init; }

    /// <summary>The resource policy as JSON, if any.</summary>
    public string? ResourcePolicy { get; init; }

    /// <summary>Whether automatic rotation is on.</summary>
    public bool RotationEnabled { get; init; }

    /// <summary>The ARN the rotation function is registered under.</summary>
    public string? RotationLambdaARN { get; init; }

    /// <summary>The rotation schedule.</summary>
    public RotationRulesType? RotationRules { get; init; }

    /// <summary>When the last rotation finished.</summary>
    public DateTimeOffset? LastRotatedDate { get; init; }

    /// <summary>When the scheduler next rotates the secret (with rotation on and a schedule).</summary>
    public DateTimeOffset? NextRotationDate { get; init; }

    /// <summary>The version a rotation in progress made: it has AWSPENDING and not AWSCURRENT.</summary>
    [JsonIgnore]
    public SecretVersionRecord? PendingRotation => Versions.FirstOrDefault(v => v.Has(SecretStages.Pending) && !v.Has(SecretStages.Current));

    /// <summary>On a primary secret: its replicas, by region.</summary>
    public IReadOnlyList<ReplicationStatusType> Replicas { get; init; } = [];

    /// <summary>The region of the primary secret (this one's, unless it is a replica).</summary>
    public required string PrimaryRegion { get; init; }

    [JsonIgnore]
    string IArnResource.Arn => Arn;

    // The resource policy parsed once, tied to the text it was parsed from (a copy made with `with` carries this field).
    private ParsedPolicy? _parsedPolicy;

    /// <summary>The resource policy, parsed (once per policy text); null when there is none.</summary>
    [JsonIgnore]
    public PolicyDocument? Policy
    {
        get
        {
            if (ResourcePolicy is null)
            {
                return null;
            }

            ParsedPolicy? parsed = Volatile.Read(ref _parsedPolicy);
            if (parsed is null || !ReferenceEquals(parsed.Text, ResourcePolicy))
            {
                parsed = new ParsedPolicy(ResourcePolicy, PolicyDocument.Parse(ResourcePolicy));
                Volatile.Write(ref _parsedPolicy, parsed);
            }

            return parsed.Document;
        }
    }

    /// <summary>Whether the secret is scheduled for deletion.</summary>
    [JsonIgnore]
    public bool IsDeleted => DeletedDate is not null;

    /// <summary>The version with <paramref name="stage"/>, if any.</summary>
    public SecretVersionRecord? WithStage(string stage) => Versions.FirstOrDefault(v => v.Has(stage));

    /// <summary>The version with <paramref name="versionId"/>, if any.</summary>
    public SecretVersionRecord? Version(string versionId) => Versions.FirstOrDefault(v => v.VersionId == versionId);

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Name = ").Append(Name).Append(", Versions = ").Append(Versions.Count);
        return true;
    }

    private sealed record ParsedPolicy(string Text, PolicyDocument Document);
}

/// <summary>Source-generated (AOT-safe) serialization of secret records inside sealed store records.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(SecretRecord))]
internal sealed partial class SecretRecordJsonContext : JsonSerializerContext;
