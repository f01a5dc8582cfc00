namespace Vaultlib.Keys;

/// <summary>CreateKey request.</summary>
public sealed record CreateKeyRequest
{
    /// <summary>Description, 0-8192 characters.</summary>
    public string? Description { get; init; }

    /// <summary>Default <see cref="KeyUsageType.ENCRYPT_DECRYPT"/>.</summary>
    public KeyUsageType? KeyUsage { get; init; }

    /// <summary>Default <see cref="KeySpec.SYMMETRIC_DEFAULT"/>.</summary>
    public KeySpec? KeySpec { get; init; }

    /// <summary>Default <see cref="OriginType.AWS_KMS"/>, the only origin supported.</summary>
    public OriginType? Origin { get; init; }

    /// <summary>Up to 50 tags.</summary>
    public IReadOnlyList<Tag>? Tags { get; init; }

    /// <summary>Creates a multi-Region primary key (id <c>mrk-…</c>).</summary>
    public bool? MultiRegion { get; init; }

    /// <summary>The key policy (JSON, up to 32768 characters); the default key policy when omitted.</summary>
    public string? Policy { get; init; }

    /// <summary>Skips the policy lockout safety check.</summary>
    public bool? BypassPolicyLockoutSafetyCheck { get; init; }
}

/// <summary>CreateKey response.</summary>
public sealed record CreateKeyResponse
{
    /// <summary>The new key.</summary>
    public required KeyMetadata KeyMetadata { get; init; }
}

/// <summary>DescribeKey request.</summary>
public sealed record DescribeKeyRequest
{
    /// <summary>Key id, key ARN, alias name or alias ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>Grant tokens (up to 10).</summary>
    public IReadOnlyList<string>? GrantTokens { get; init; }
}

/// <summary>DescribeKey response.</summary>
public sealed record DescribeKeyResponse
{
    /// <summary>The key.</summary>
    public required KeyMetadata KeyMetadata { get; init; }
}

/// <summary>ListKeys request.</summary>
public sealed record ListKeysRequest
{
    /// <summary>Page size, 1-1000 (default 100).</summary>
    public int? Limit { get; init; }

    /// <summary>The <c>NextMarker</c> of the previous page.</summary>
    public string? Marker { get; init; }
}

/// <summary>ListKeys response.</summary>
public sealed record ListKeysResponse
{
    /// <summary>The keys on this page.</summary>
    public required IReadOnlyList<KeyListEntry> Keys { get; init; }

    /// <summary>Pass as <c>Marker</c> for the next page; null on the last page.</summary>
    public string? NextMarker { get; init; }

    /// <summary>True when there are more pages.</summary>
    public required bool Truncated { get; init; }
}

/// <summary>UpdateKeyDescription request.</summary>
public sealed record UpdateKeyDescriptionRequest
{
    /// <summary>Key id, key ARN, alias name or alias ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>The new description, 0-8192 characters.</summary>
    public required string Description { get; init; }
}

/// <summary>UpdateKeyDescription response (empty).</summary>
public sealed record UpdateKeyDescriptionResponse;

/// <summary>EnableKey request.</summary>
public sealed record EnableKeyRequest
{
    /// <summary>Key id, key ARN, alias name or alias ARN.</summary>
    public required string KeyId { get; init; }
}

/// <summary>EnableKey response (empty).</summary>
public sealed record EnableKeyResponse;

/// <summary>DisableKey request.</summary>
public sealed record DisableKeyRequest
{
    /// <summary>Key id, key ARN, alias name or alias ARN.</summary>
    public required string KeyId { get; init; }
}

/// <summary>DisableKey response (empty).</summary>
public sealed record DisableKeyResponse;

/// <summary>ScheduleKeyDeletion request.</summary>
public sealed record ScheduleKeyDeletionRequest
{
    /// <summary>Key id, key ARN, alias name or alias ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>Waiting period, 7-30 days (default 30).</summary>
    public int? PendingWindowInDays { get; init; }
}

/// <summary>ScheduleKeyDeletion response.</summary>
public sealed record ScheduleKeyDeletionResponse
{
    /// <summary>The key ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>When the key will be deleted.</summary>
    public required DateTimeOffset DeletionDate { get; init; }

    /// <summary>Always <see cref="KeyState.PendingDeletion"/>.</summary>
    public required KeyState KeyState { get; init; }

    /// <summary>The waiting period, in days.</summary>
    public required int PendingWindowInDays { get; init; }
}

/// <summary>CancelKeyDeletion request.</summary>
public sealed record CancelKeyDeletionRequest
{
    /// <summary>Key id, key ARN, alias name or alias ARN.</summary>
    public required string KeyId { get; init; }
}

/// <summary>CancelKeyDeletion response. The key is left <see cref="KeyState.Disabled"/>.</summary>
public sealed record CancelKeyDeletionResponse
{
    /// <summary>The key ARN.</summary>
    public required string KeyId { get; init; }
}

/// <summary>TagResource request.</summary>
public sealed record TagResourceRequest
{
    /// <summary>Key id or key ARN (aliases are not accepted, as in AWS).</summary>
    public required string KeyId { get; init; }

    /// <summary>Tags to add or overwrite.</summary>
    public required IReadOnlyList<Tag> Tags { get; init; }
}

/// <summary>TagResource response (empty).</summary>
public sealed record TagResourceResponse;

/// <summary>UntagResource request.</summary>
public sealed record UntagResourceRequest
{
    /// <summary>Key id or key ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>Tag keys to remove.</summary>
    public required IReadOnlyList<string> TagKeys { get; init; }
}

/// <summary>UntagResource response (empty).</summary>
public sealed record UntagResourceResponse;

/// <summary>ListResourceTags request.</summary>
public sealed record ListResourceTagsRequest
{
    /// <summary>Key id or key ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>Page size, 1-50 (default 50).</summary>
    public int? Limit { get; init; }

    /// <summary>The <c>NextMarker</c> of the previous page.</summary>
    public string? Marker { get; init; }
}

/// <summary>ListResourceTags response.</summary>
public sealed record ListResourceTagsResponse
{
    /// <summary>Tags on this page, ordered by key.</summary>
    public required IReadOnlyList<Tag> Tags { get; init; }

    /// <summary>Pass as <c>Marker</c> for the next page.</summary>
    public string? NextMarker { get; init; }

    /// <summary>True when there are more pages.</summary>
    public required bool Truncated { get; init; }
}

/// <summary>CreateAlias request.</summary>
public sealed record CreateAliasRequest
{
    /// <summary><c>alias/</c> then 1-250 of <c>a-zA-Z0-9/_-</c>; not <c>alias/aws/…</c>.</summary>
    public required string AliasName { get; init; }

    /// <summary>Key id or key ARN of a customer managed key.</summary>
    public required string TargetKeyId { get; init; }
}

/// <summary>CreateAlias response (empty).</summary>
public sealed record CreateAliasResponse;

/// <summary>UpdateAlias request.</summary>
public sealed record UpdateAliasRequest
{
    /// <summary>The existing alias.</summary>
    public required string AliasName { get; init; }

    /// <summary>The new target: a customer managed key of the same type and usage as the current one.</summary>
    public required string TargetKeyId { get; init; }
}

/// <summary>UpdateAlias response (empty).</summary>
public sealed record UpdateAliasResponse;

/// <summary>DeleteAlias request.</summary>
public sealed record DeleteAliasRequest
{
    /// <summary>The alias to delete.</summary>
    public required string AliasName { get; init; }
}

/// <summary>DeleteAlias response (empty).</summary>
public sealed record DeleteAliasResponse;

/// <summary>ListAliases request.</summary>
public sealed record ListAliasesRequest
{
    /// <summary>Only aliases of this key (key id or key ARN).</summary>
    public string? KeyId { get; init; }

    /// <summary>Page size, 1-100 (default 50).</summary>
    public int? Limit { get; init; }

    /// <summary>The <c>NextMarker</c> of the previous page.</summary>
    public string? Marker { get; init; }
}

/// <summary>ListAliases response.</summary>
public sealed record ListAliasesResponse
{
    /// <summary>Aliases on this page, ordered by name.</summary>
    public required IReadOnlyList<AliasListEntry> Aliases { get; init; }

    /// <summary>Pass as <c>Marker</c> for the next page.</summary>
    public string? NextMarker { get; init; }

    /// <summary>True when there are more pages.</summary>
    public required bool Truncated { get; init; }
}
