namespace Vaultlib.Keys;

/// <summary>Everything about a key except its material (AWS <c>KeyMetadata</c>).</summary>
public sealed record KeyMetadata
{
    /// <summary>The account that owns the key.</summary>
    public required string AWSAccountId { get; init; }

    /// <summary>The key id: a GUID, or <c>mrk-</c> and 32 hex digits for a multi-Region key.</summary>
    public required string KeyId { get; init; }

    /// <summary>The key ARN, <c>arn:aws:kms:&lt;region&gt;:&lt;account&gt;:key/&lt;id&gt;</c>.</summary>
    public required string Arn { get; init; }

    /// <summary>When the key was created.</summary>
    public required DateTimeOffset CreationDate { get; init; }

    /// <summary>True when <see cref="KeyState"/> is <see cref="Keys.KeyState.Enabled"/>.</summary>
    public required bool Enabled { get; init; }

    /// <summary>The description (0-8192 characters).</summary>
    public required string Description { get; init; }

    /// <summary>What the key can do.</summary>
    public required KeyUsageType KeyUsage { get; init; }

    /// <summary>The key's state.</summary>
    public required KeyState KeyState { get; init; }

    /// <summary>When the key will be deleted; set only in <see cref="Keys.KeyState.PendingDeletion"/>.</summary>
    public DateTimeOffset? DeletionDate { get; init; }

    /// <summary>The waiting period of a scheduled deletion, in days.</summary>
    public int? PendingDeletionWindowInDays { get; init; }

    /// <summary>Where the material came from.</summary>
    public required OriginType Origin { get; init; }

    /// <summary>Customer or AWS managed.</summary>
    public required KeyManagerType KeyManager { get; init; }

    /// <summary>The type of key material.</summary>
    public required KeySpec KeySpec { get; init; }

    /// <summary>The encryption algorithms the key supports (empty unless <see cref="KeyUsageType.ENCRYPT_DECRYPT"/>).</summary>
    public required IReadOnlyList<EncryptionAlgorithmSpec> EncryptionAlgorithms { get; init; }

    /// <summary>The signing algorithms the key supports (empty unless <see cref="KeyUsageType.SIGN_VERIFY"/>).</summary>
    public IReadOnlyList<SigningAlgorithmSpec> SigningAlgorithms { get; init; } = [];

    /// <summary>The MAC algorithm of an HMAC key (empty otherwise).</summary>
    public IReadOnlyList<MacAlgorithmSpec> MacAlgorithms { get; init; } = [];

    /// <summary>True for a multi-Region key.</summary>
    public required bool MultiRegion { get; init; }

    /// <summary>The id of the material that encrypts now (64 hex digits).</summary>
    public string? CurrentKeyMaterialId { get; init; }
}

/// <summary>A key-value tag (AWS <c>Tag</c>).</summary>
public sealed record Tag
{
    /// <summary>The key: 1-128 characters, not starting with <c>aws:</c>.</summary>
    public required string TagKey { get; init; }

    /// <summary>The value: 0-256 characters.</summary>
    public required string TagValue { get; init; }
}

/// <summary>One key in a <see cref="ListKeysResponse"/> (AWS <c>KeyListEntry</c>).</summary>
public sealed record KeyListEntry
{
    /// <summary>The key id.</summary>
    public required string KeyId { get; init; }

    /// <summary>The key ARN.</summary>
    public required string KeyArn { get; init; }
}

/// <summary>One alias in a <see cref="ListAliasesResponse"/> (AWS <c>AliasListEntry</c>).</summary>
public sealed record AliasListEntry
{
    /// <summary>The alias name, <c>alias/...</c>.</summary>
    public required string AliasName { get; init; }

    /// <summary>The alias ARN.</summary>
    public required string AliasArn { get; init; }

    /// <summary>The id of the key the alias points to.</summary>
    public string? TargetKeyId { get; init; }

    /// <summary>When the alias was created.</summary>
    public DateTimeOffset? CreationDate { get; init; }

    /// <summary>When the alias was last pointed at a key.</summary>
    public DateTimeOffset? LastUpdatedDate { get; init; }
}

/// <summary>One rotation in a <see cref="ListKeyRotationsResponse"/> (AWS <c>RotationsListEntry</c>).</summary>
public sealed record RotationsListEntry
{
    /// <summary>The key id.</summary>
    public required string KeyId { get; init; }

    /// <summary>When the rotation happened.</summary>
    public required DateTimeOffset RotationDate { get; init; }

    /// <summary>Automatic or on demand.</summary>
    public required RotationType RotationType { get; init; }

    /// <summary>The id of the material the rotation created.</summary>
    public required string KeyMaterialId { get; init; }
}
