using Vaultlib.Audit;

namespace Vaultlib.Secrets;

/// <summary>A tag on a secret: a key of 1-128 characters and a value of 0-256.</summary>
public sealed record Tag
{
    /// <summary>The key (case-sensitive; <c>aws:</c> is reserved).</summary>
    public required string Key { get; init; }

    /// <summary>The value.</summary>
    public required string Value { get; init; }
}

/// <summary>A <c>ListSecrets</c> or <c>BatchGetSecretValue</c> filter: a key and up to 10 values, each a prefix (or, after <c>!</c>, a prefix to exclude).</summary>
public sealed record Filter
{
    /// <summary><c>description</c>, <c>name</c>, <c>tag-key</c>, <c>tag-value</c>, <c>primary-region</c>, <c>owning-service</c> or <c>all</c>.</summary>
    public required string Key { get; init; }

    /// <summary>1-10 values of at most 512 characters.</summary>
    public required IReadOnlyList<string> Values { get; init; }
}

/// <summary>A secret's rotation schedule: <see cref="AutomaticallyAfterDays"/> or <see cref="ScheduleExpression"/>, never both.</summary>
public sealed record RotationRulesType
{
    /// <summary>Days between rotations, 1-1000.</summary>
    public long? AutomaticallyAfterDays { get; init; }

    /// <summary>The rotation window, <c>1h</c> to <c>24h</c> (e.g. <c>3h</c>), from the start of the scheduled day or time.</summary>
    public string? Duration { get; init; }

    /// <summary><c>rate(N hours|days)</c> (at least 4 hours) or <c>cron(…)</c> in UTC.</summary>
    public string? ScheduleExpression { get; init; }
}

/// <summary>A secret as <c>DescribeSecret</c> and <c>ListSecrets</c> show it (never its value).</summary>
public sealed record SecretListEntry
{
    /// <summary>The ARN, ending in <c>-</c> and six random characters.</summary>
    public required string ARN { get; init; }

    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The description.</summary>
    public string? Description { get; init; }

    /// <summary>The KMS key as given (null: <c>alias/aws/secretsmanager</c>).</summary>
    public string? KmsKeyId { get; init; }

    /// <summary>Whether rotation is on.</summary>
    public bool? RotationEnabled { get; init; }

    /// <summary>The ARN that names the rotation function.</summary>
    public string? RotationLambdaARN { get; init; }

    /// <summary>The rotation schedule.</summary>
    public RotationRulesType? RotationRules { get; init; }

    /// <summary>When the secret was last rotated.</summary>
    public DateTimeOffset? LastRotatedDate { get; init; }

    /// <summary>When the secret last changed.</summary>
    public DateTimeOffset? LastChangedDate { get; init; }

    /// <summary>The day the secret was last read (AWS keeps the date only).</summary>
    public DateTimeOffset? LastAccessedDate { get; init; }

    /// <summary>When the secret was scheduled for deletion.</summary>
    public DateTimeOffset? DeletedDate { get; init; }

    /// <summary>When the next rotation is due.</summary>
    public DateTimeOffset? NextRotationDate { get; init; }

    /// <summary>The tags.</summary>
    public IReadOnlyList<Tag>? Tags { get; init; }

    /// <summary>Each version with staging labels, by version id, with its labels.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? SecretVersionsToStages { get; init; }

    /// <summary>The service that manages the secret, if any.</summary>
    public string? OwningService { get; init; }

    /// <summary>When the secret was created.</summary>
    public DateTimeOffset? CreatedDate { get; init; }

    /// <summary>The region of the primary secret.</summary>
    public string? PrimaryRegion { get; init; }
}

/// <summary>A version as <c>ListSecretVersionIds</c> shows it.</summary>
public sealed record SecretVersionsListEntry
{
    /// <summary>The version id.</summary>
    public required string VersionId { get; init; }

    /// <summary>The staging labels (none for a deprecated version).</summary>
    public required IReadOnlyList<string> VersionStages { get; init; }

    /// <summary>The day the version was last read.</summary>
    public DateTimeOffset? LastAccessedDate { get; init; }

    /// <summary>When the version was created.</summary>
    public required DateTimeOffset CreatedDate { get; init; }

    /// <summary>The ARNs of the KMS keys the version is encrypted under.</summary>
    public required IReadOnlyList<string> KmsKeyIds { get; init; }
}

/// <summary>A secret's value, as <c>GetSecretValue</c> and <c>BatchGetSecretValue</c> return it.</summary>
public sealed record SecretValueEntry
{
    /// <summary>The secret's ARN.</summary>
    public required string ARN { get; init; }

    /// <summary>The secret's name.</summary>
    public required string Name { get; init; }

    /// <summary>The version id.</summary>
    public required string VersionId { get; init; }

    /// <summary>The binary value, when the version holds one.</summary>
    public ReadOnlyMemory<byte>? SecretBinary { get; init; }

    /// <summary>The string value, when the version holds one.</summary>
    [Sensitive]
    public string? SecretString { get; init; }

    /// <summary>The version's staging labels.</summary>
    public required IReadOnlyList<string> VersionStages { get; init; }

    /// <summary>When the version was created.</summary>
    public required DateTimeOffset CreatedDate { get; init; }

    // The generated ToString would print the value; keep it to identity.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("ARN = ").Append(ARN).Append(", VersionId = ").Append(VersionId);
        return true;
    }
}

/// <summary>A secret <c>BatchGetSecretValue</c> could not return, with AWS's error code.</summary>
public sealed record APIErrorType
{
    /// <summary>The secret as the request named it.</summary>
    public required string SecretId { get; init; }

    /// <summary>AWS's error code, e.g. <c>ResourceNotFoundException</c>.</summary>
    public required string ErrorCode { get; init; }

    /// <summary>The message.</summary>
    public required string Message { get; init; }
}

/// <summary>A region to replicate a secret to, and the KMS key there (default <c>alias/aws/secretsmanager</c> of that region).</summary>
public sealed record ReplicaRegionType
{
    /// <summary>The region, e.g. <c>eu-west-1</c>.</summary>
    public required string Region { get; init; }

    /// <summary>The KMS key in that region.</summary>
    public string? KmsKeyId { get; init; }
}

/// <summary>A replica's state, as DescribeSecret and the replication operations show it.</summary>
public sealed record ReplicationStatusType
{
    /// <summary>The replica's region.</summary>
    public required string Region { get; init; }

    /// <summary>The KMS key of the replica, as given (null: that region's <c>alias/aws/secretsmanager</c>).</summary>
    public string? KmsKeyId { get; init; }

    /// <summary><c>InSync</c>, <c>Failed</c> or <c>InProgress</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Why a replication failed.</summary>
    public string? StatusMessage { get; init; }

    /// <summary>The day the replica was last read.</summary>
    public DateTimeOffset? LastAccessedDate { get; init; }
}
