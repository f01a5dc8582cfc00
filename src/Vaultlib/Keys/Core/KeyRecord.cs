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

    /// <summary>Oldest first; the last one encrypts.</summary>
    public required ImmutableArray<KeyMaterial> Materials { get; init; }

    public KeyMaterial Current => Materials[^1];

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
        CurrentKeyMaterialId = Current.KeyMaterialId,
    };

    // The generated ToString would list the materials; keep it to ids.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("KeyId = ").Append(KeyId).Append(", KeyState = ").Append(KeyState).Append(", Materials = ").Append(Materials.Length);
        return true;
    }
}

/// <summary>An alias as the service holds it.</summary>
internal sealed record AliasRecord(string AliasName, string TargetKeyId, DateTimeOffset CreationDate, DateTimeOffset LastUpdatedDate);
