using System.Collections.Immutable;
using Vaultlib.Internal;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>One version of a key's material. Immutable; the secret is released when the key is purged or the service disposed.</summary>
internal sealed class KeyMaterial
{
    public KeyMaterial(int version, string keyMaterialId, DateTimeOffset creationDate, RotationType? rotationType, SecretBuffer secret, byte[]? publicKey = null)
    {
        Version = version;
        KeyMaterialId = keyMaterialId;
        CreationDate = creationDate;
        RotationType = rotationType;
        Secret = secret;
        PublicKey = publicKey;
    }

    /// <summary>The public key (DER SubjectPublicKeyInfo) of an asymmetric key; null otherwise.</summary>
    public byte[]? PublicKey { get; }

    /// <summary>1 for the original material, then one more per rotation.</summary>
    public int Version { get; }

    public string KeyMaterialId { get; }

    public DateTimeOffset CreationDate { get; }

    /// <summary>Null for the original material; how it was rotated otherwise.</summary>
    public RotationType? RotationType { get; }

    public SecretBuffer Secret { get; }

    private AesGcmPool? _ciphers;

    /// <summary>Ready AES-GCM instances keyed with this (symmetric) material.</summary>
    public AesGcmPool Ciphers => Volatile.Read(ref _ciphers) ?? CreateCiphers();

    private AesGcmPool CreateCiphers()
    {
        var created = new AesGcmPool(Secret);
        AesGcmPool? raced = Interlocked.CompareExchange(ref _ciphers, created, null);
        if (raced is null)
        {
            return created;
        }

        created.Dispose();
        return raced;
    }

    /// <summary>The same material in a buffer of its own (for another Region's table, which releases it on its own).</summary>
    public KeyMaterial Copy()
    {
        using SecretLease lease = Secret.Lease();
        return new KeyMaterial(Version, KeyMaterialId, CreationDate, RotationType, SecretBuffer.Copy(lease.Span), PublicKey);
    }

    /// <summary>Zeroes the material (once in-flight uses end) and disposes its ready ciphers.</summary>
    public void Release()
    {
        Interlocked.Exchange(ref _ciphers, null)?.Dispose();
        Secret.Dispose();
    }

    public override string ToString() => $"KeyMaterial(v{Version}, {KeyMaterialId})";
}

/// <summary>
/// A key as the service holds it: immutable, replaced whole on every change (so readers never
/// see a half-made change and need no lock). Never formatted with its material.
/// </summary>
internal sealed record KeyRecord : IArnResource
{
    public required string KeyId { get; init; }

    public required string Arn { get; init; }

    public required DateTimeOffset CreationDate { get; init; }

    public required string Description { get; init; }

    public required KeyUsageType KeyUsage { get; init; }

    public required KeySpec KeySpec { get; init; }

    public required OriginType Origin { get; init; }

    public required KeyManagerType KeyManager { get; init; }

    /// <summary>For AWS managed keys, the service in <c>alias/aws/&lt;service&gt;</c>.</summary>
    public string? AwsManagedService { get; init; }

    public required bool MultiRegion { get; init; }

    public required string Policy { get; init; }

    public required ImmutableSortedDictionary<string, string> Tags { get; init; }

    public required KeyState KeyState { get; init; }

    public DateTimeOffset? DeletionDate { get; init; }

    public int? PendingWindowInDays { get; init; }

    public bool RotationEnabled { get; init; }

    public int? RotationPeriodInDays { get; init; }

    public DateTimeOffset? NextRotationDate { get; init; }

    public int OnDemandRotationCount { get; init; }

    /// <summary>Oldest first; the last one encrypts. Empty only while a key of imported material has none (<see cref="KeyState.PendingImport"/>).</summary>
    public required ImmutableArray<KeyMaterial> Materials { get; init; }

    /// <summary>The material that encrypts now; only of a key that has material (every usable key has).</summary>
    public KeyMaterial Current => Materials[^1];

    public bool HasMaterial => !Materials.IsEmpty;

    /// <summary>Whether imported material expires; null while there is none, and for generated material.</summary>
    public ExpirationModelType? ExpirationModel { get; init; }

    /// <summary>When imported material expires (the key then returns to <see cref="KeyState.PendingImport"/>).</summary>
    public DateTimeOffset? ValidTo { get; init; }

    /// <summary>
    /// The id of the material imported into this key (derived from the material), kept after the
    /// material is deleted or expires, so that only the same material can be imported again.
    /// </summary>
    public string? ImportedKeyMaterialId { get; init; }

    /// <summary>The wrapping keys and import tokens issued by GetParametersForImport, newest last.</summary>
    public ImmutableArray<ImportParameters> ImportParameters { get; init; } = [];

    /// <summary>For a multi-Region key, the Region of its primary key; null for a single-Region key.</summary>
    public string? PrimaryRegion { get; init; }

    /// <summary>For a multi-Region key, the Regions of its replicas, ordinal order.</summary>
    public ImmutableArray<string> ReplicaRegions { get; init; } = [];

    /// <summary>The Region this key lives in (the fourth field of its ARN).</summary>
    public string Region => Arn.Split(':')[3];

    /// <summary>A multi-Region replica: its shared properties follow the primary key's.</summary>
    public bool IsReplica => PrimaryRegion is not null && !string.Equals(PrimaryRegion, Region, StringComparison.Ordinal);

    /// <summary>The ARN of this key's twin in <paramref name="region"/> (same partition, account and key id).</summary>
    public string ArnIn(string region)
    {
        string[] parts = Arn.Split(':');
        parts[3] = region;
        return string.Join(':', parts);
    }

    public KeyMaterial? FindMaterial(int version) =>
        version >= 1 && version <= Materials.Length && Materials[version - 1].Version == version ? Materials[version - 1] : null;

    public bool IsSymmetricEncryption => KeySpec == KeySpec.SYMMETRIC_DEFAULT && KeyUsage == KeyUsageType.ENCRYPT_DECRYPT;

    public KeyMetadata ToMetadata(string accountId) => new()
    {
        AWSAccountId = accountId,
        KeyId = KeyId,
        Arn = Arn,
        CreationDate = CreationDate,
        Enabled = KeyState == KeyState.Enabled,
        Description = Description,
        KeyUsage = KeyUsage,
        KeyState = KeyState,
        DeletionDate = DeletionDate,
        PendingDeletionWindowInDays = PendingWindowInDays,
        Origin = Origin,
        KeyManager = KeyManager,
        KeySpec = KeySpec,
        EncryptionAlgorithms = KeySpecs.EncryptionAlgorithms(KeySpec, KeyUsage),
        SigningAlgorithms = KeySpecs.SigningAlgorithms(KeySpec, KeyUsage),
        MacAlgorithms = KeySpecs.MacAlgorithms(KeySpec),
        KeyAgreementAlgorithms = KeySpecs.KeyAgreementAlgorithms(KeyUsage),
        MultiRegion = MultiRegion,
        CurrentKeyMaterialId = HasMaterial ? Current.KeyMaterialId : null,
        ExpirationModel = HasMaterial ? ExpirationModel : null,
        ValidTo = HasMaterial ? ValidTo : null,
        MultiRegionConfiguration = PrimaryRegion is null ? null : new MultiRegionConfiguration
        {
            MultiRegionKeyType = IsReplica ? MultiRegionKeyType.REPLICA : MultiRegionKeyType.PRIMARY,
            PrimaryKey = new MultiRegionKey { Arn = ArnIn(PrimaryRegion), Region = PrimaryRegion },
            ReplicaKeys = [.. ReplicaRegions.Select(region => new MultiRegionKey { Arn = ArnIn(region), Region = region })],
        },
    };

    /// <summary>Zeroes every secret this record holds (its materials and wrapping keys), once in-flight uses end.</summary>
    public void ReleaseSecrets()
    {
        foreach (KeyMaterial material in Materials)
        {
            material.Release();
        }

        foreach (ImportParameters parameters in ImportParameters)
        {
            parameters.Release();
        }
    }

    /// <summary>Zeroes the secrets of this record that <paramref name="successor"/> no longer holds.</summary>
    public void ReleaseDropped(KeyRecord successor)
    {
        foreach (KeyMaterial material in Materials.Where(m => !successor.Materials.Contains(m)))
        {
            material.Release();
        }

        foreach (ImportParameters parameters in ImportParameters.Where(p => !successor.ImportParameters.Contains(p)))
        {
            parameters.Release();
        }
    }

    // The generated ToString would list the materials; keep it to ids.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("KeyId = ").Append(KeyId).Append(", KeyState = ").Append(KeyState).Append(", Materials = ").Append(Materials.Length);
        return true;
    }
}

/// <summary>
/// One GetParametersForImport answer as the key keeps it: the token, the wrapping private key
/// (PKCS #8 DER, secret) and when they stop being accepted.
/// </summary>
internal sealed class ImportParameters(byte[] importToken, WrappingKeySpec wrappingKeySpec, AlgorithmSpec wrappingAlgorithm, DateTimeOffset parametersValidTo, SecretBuffer privateKey)
{
    public byte[] ImportToken { get; } = importToken;

    public WrappingKeySpec WrappingKeySpec { get; } = wrappingKeySpec;

    public AlgorithmSpec WrappingAlgorithm { get; } = wrappingAlgorithm;

    public DateTimeOffset ParametersValidTo { get; } = parametersValidTo;

    public SecretBuffer PrivateKey { get; } = privateKey;

    public void Release() => PrivateKey.Dispose();

    public override string ToString() => $"ImportParameters({WrappingKeySpec}, {WrappingAlgorithm}, valid to {ParametersValidTo:O})";
}

/// <summary>An alias as the service holds it.</summary>
internal sealed record AliasRecord(string AliasName, string TargetKeyId, DateTimeOffset CreationDate, DateTimeOffset LastUpdatedDate);
