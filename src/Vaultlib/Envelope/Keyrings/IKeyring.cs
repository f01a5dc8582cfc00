namespace Vaultlib.Envelope;

/// <summary>
/// Generates, encrypts and decrypts data keys (the ESDK's keyring). On encrypt, a keyring sets the
/// data key when none is set yet and adds its encrypted copies; on decrypt, it sets the data key
/// from the first encrypted data key it can open, and leaves the materials alone when it can open none.
/// </summary>
public interface IKeyring
{
    /// <summary>Adds this keyring's encrypted data keys (and the data key itself if it is the generator).</summary>
    ValueTask OnEncryptAsync(EncryptionMaterials materials, CancellationToken cancellationToken = default);

    /// <summary>Sets the data key from one of <paramref name="encryptedDataKeys"/> if this keyring can open one.</summary>
    ValueTask OnDecryptAsync(DecryptionMaterials materials, IReadOnlyList<EncryptedDataKey> encryptedDataKeys, CancellationToken cancellationToken = default);
}
