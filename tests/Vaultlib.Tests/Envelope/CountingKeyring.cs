using Vaultlib.Envelope;

namespace Vaultlib.Tests.Envelope;

/// <summary>Counts the calls that reach a keyring, to see when a cache was hit.</summary>
public sealed class CountingKeyring(IKeyring inner) : IKeyring
{
    private int _encrypts;
    private int _decrypts;

    public int Encrypts => Volatile.Read(ref _encrypts);

    public int Decrypts => Volatile.Read(ref _decrypts);

    public ValueTask OnEncryptAsync(EncryptionMaterials materials, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _encrypts);
        return inner.OnEncryptAsync(materials, cancellationToken);
    }

    public ValueTask OnDecryptAsync(DecryptionMaterials materials, IReadOnlyList<EncryptedDataKey> encryptedDataKeys, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _decrypts);
        return inner.OnDecryptAsync(materials, encryptedDataKeys, cancellationToken);
    }
}
