namespace Vaultlib.Secrets;

/// <summary>DescribeSecret request.</summary>
public sealed record DescribeSecretRequest
{
    /// <summary>The secret: its name, full ARN or partial ARN.</summary>
    public required string SecretId { get; init; }
}

/// <summary>DescribeSecret response: the secret's details, never its value (AWS's members; <c>VersionIdsToStages</c> names what ListSecrets calls <c>SecretVersionsToStages</c>).</summary>
public sealed record DescribeSecretResponse
{
    /// <summary>The ARN.</summary>
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

    /// <summary>The day the secret was last read.</summary>
    public DateTimeOffset? LastAccessedDate { get; init; }

    /// <summary>When the secret was scheduled for deletion.</summary>
    public DateTimeOffset? DeletedDate { get; init; }

    /// <summary>When the next rotation is due.</summary>
    public DateTimeOffset? NextRotationDate { get; init; }

    /// <summary>The tags.</summary>
    public IReadOnlyList<Tag>? Tags { get; init; }

    /// <summary>Each version with staging labels, by version id.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? VersionIdsToStages { get; init; }

    /// <summary>The service that manages the secret, if any.</summary>
    public string? OwningService { get; init; }

    /// <summary>When the secret was created.</summary>
    public DateTimeOffset? CreatedDate { get; init; }

    /// <summary>The region of the primary secret.</summary>
    public string? PrimaryRegion { get; init; }

    /// <summary>On a primary secret: each replica's state.</summary>
    public IReadOnlyList<ReplicationStatusType>? ReplicationStatus { get; init; }
}
