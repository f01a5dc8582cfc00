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

    /// <summary>Key agreement algorithms (KEY_AGREEMENT keys).</summary>
    public IReadOnlyList<KeyAgreementAlgorithmSpec> KeyAgreementAlgorithms { get; init; } = [];

    /// <summary>True for a multi-Region key.</summary>
    public required bool MultiRegion { get; init; }

    /// <summary>The id of the material that encrypts now (64 hex digits); null while a key of imported material has none.</summary>
    public string? CurrentKeyMaterialId { get; init; }

    /// <summary>For a key of imported material (<see cref="OriginType.EXTERNAL"/>) that has some: whether it expires.</summary>
    public ExpirationModelType? ExpirationModel { get; init; }

    /// <summary>When the imported key material expires; set only with <see cref="ExpirationModelType.KEY_MATERIAL_EXPIRES"/>.</summary>
    public DateTimeOffset? ValidTo { get; init; }

    /// <summary>For a multi-Region key: its primary key and its replicas. Null otherwise.</summary>
    public MultiRegionConfiguration? MultiRegionConfiguration { get; init; }
}

/// <summary>A multi-Region key's primary and replicas (AWS <c>MultiRegionConfiguration</c>).</summary>
public sealed record MultiRegionConfiguration
{
    /// <summary>Whether the key described is the primary key or a replica.</summary>
    public required MultiRegionKeyType MultiRegionKeyType { get; init; }

    /// <summary>The primary key.</summary>
    public required MultiRegionKey PrimaryKey { get; init; }

    /// <summary>Every replica key, in Region order.</summary>
    public required IReadOnlyList<MultiRegionKey> ReplicaKeys { get; init; }
}

/// <summary>One key of a multi-Region family (AWS <c>MultiRegionKey</c>).</summary>
public sealed record MultiRegionKey
{
    /// <summary>The key ARN in its Region.</summary>
    public required string Arn { get; init; }

    /// <summary>The Region.</summary>
    public required string Region { get; init; }
}
