namespace Vaultlib.Envelope;

/// <summary>Supplies materials for each message (the ESDK's cryptographic materials manager, CMM).</summary>
public interface ICryptoMaterialsManager
{
    /// <summary>Materials to encrypt one message. The caller disposes them.</summary>
    ValueTask<EncryptionMaterials> GetEncryptionMaterialsAsync(GetEncryptionMaterialsInput input, CancellationToken cancellationToken = default);

    /// <summary>Materials to decrypt one message. The caller disposes them.</summary>
    ValueTask<DecryptionMaterials> DecryptMaterialsAsync(DecryptMaterialsInput input, CancellationToken cancellationToken = default);
}

/// <summary>What the encryptor asks a CMM for (the ESDK's <c>GetEncryptionMaterialsInput</c>).</summary>
public sealed record GetEncryptionMaterialsInput
{
    /// <summary>The caller's encryption context (without <c>aws-crypto-public-key</c>).</summary>
    public required IReadOnlyDictionary<string, string> EncryptionContext { get; init; }

    /// <summary>The commitment policy in force.</summary>
    public required CommitmentPolicy CommitmentPolicy { get; init; }

    /// <summary>The suite the caller asked for; null lets the CMM choose the policy's default.</summary>
    public AlgorithmSuite? AlgorithmSuiteId { get; init; }

    /// <summary>The plaintext length when known; caches need it to count bytes, and bypass themselves without it.</summary>
    public long? MaxPlaintextLength { get; init; }

    /// <summary>Keys of <see cref="EncryptionContext"/> whose pairs the header must not store (set by a <see cref="RequiredEncryptionContextCryptoMaterialsManager"/>).</summary>
    public IReadOnlyList<string>? RequiredEncryptionContextKeys { get; init; }
}

/// <summary>What the decryptor asks a CMM for (the ESDK's <c>DecryptMaterialsInput</c>).</summary>
public sealed record DecryptMaterialsInput
{
    /// <summary>The message's suite.</summary>
    public required AlgorithmSuite AlgorithmSuiteId { get; init; }

    /// <summary>The commitment policy in force.</summary>
    public required CommitmentPolicy CommitmentPolicy { get; init; }

    /// <summary>The message's encrypted data keys.</summary>
    public required IReadOnlyList<EncryptedDataKey> EncryptedDataKeys { get; init; }

    /// <summary>The encryption context stored in the message header.</summary>
    public required IReadOnlyDictionary<string, string> EncryptionContext { get; init; }

    /// <summary>The context the caller expects; pairs the header lacks are required and authenticated.</summary>
    public IReadOnlyDictionary<string, string>? ReproducedEncryptionContext { get; init; }
}
