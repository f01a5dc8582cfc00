namespace Vaultlib.Envelope;

/// <summary>
/// Keeps branch keys for the hierarchical keyring (the Material Providers Library's key store): each branch key id has
/// an active version, used to encrypt, and every version it ever had, kept to decrypt. Vaultlib's is
/// <see cref="VaultBranchKeyStore"/>, over a Vaultlib store, with branch keys wrapped by a KMS key.
/// </summary>
public interface IBranchKeyStore
{
    /// <summary>The active version of a branch key. The caller disposes the materials.</summary>
    /// <exception cref="BranchKeyStoreException">The branch key does not exist, or its record fails authentication.</exception>
    Task<BranchKeyMaterials> GetActiveBranchKeyAsync(string branchKeyIdentifier, CancellationToken cancellationToken = default);

    /// <summary>One version of a branch key. The caller disposes the materials.</summary>
    /// <exception cref="BranchKeyStoreException">The version does not exist, or its record fails authentication.</exception>
    Task<BranchKeyMaterials> GetBranchKeyVersionAsync(string branchKeyIdentifier, string branchKeyVersion, CancellationToken cancellationToken = default);
}

/// <summary>Chooses the branch key for a message from its encryption context (the Material Providers Library's <c>BranchKeyIdSupplier</c>), as a multi-tenant application does.</summary>
public interface IBranchKeyIdSupplier
{
    /// <summary>The branch key id for a message with this encryption context.</summary>
    ValueTask<string> GetBranchKeyIdAsync(IReadOnlyDictionary<string, string> encryptionContext, CancellationToken cancellationToken = default);
}

/// <summary>A branch key store refused: no such branch key or version, a record that fails authentication, or a conflicting write.</summary>
public sealed class BranchKeyStoreException : AwsCryptoException
{
    /// <summary>Creates the error (for a branch key store of your own).</summary>
    /// <param name="message">What failed, with no secret in it.</param>
    /// <param name="innerException">The cause, if any.</param>
    public BranchKeyStoreException(string message, Exception? innerException = null)
        : base("KeyStoreException", message, innerException)
    {
    }
}
