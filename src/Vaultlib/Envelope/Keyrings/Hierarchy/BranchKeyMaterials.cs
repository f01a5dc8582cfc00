using Vaultlib.Internal;

namespace Vaultlib.Envelope;

/// <summary>
/// One version of a branch key, as a branch key store hands it to the hierarchical keyring (the Material Providers
/// Library's <c>BranchKeyMaterials</c>): its id, its version (a UUID), the custom encryption context bound to it, and
/// the 32-byte key itself, held in unmanaged memory and zeroed when the last holder lets go.
/// </summary>
public sealed class BranchKeyMaterials : IDisposable
{
    /// <summary>The length of a branch key.</summary>
    public const int BranchKeyLength = 32;

    private readonly SecretBuffer _branchKey;

    /// <summary>Creates branch key materials (for a branch key store of your own); the key is copied.</summary>
    /// <param name="branchKeyIdentifier">The branch key id.</param>
    /// <param name="branchKeyVersion">The version: a UUID in its string form.</param>
    /// <param name="encryptionContext">The custom encryption context bound to the branch key (without the <c>aws-crypto-ec:</c> prefix).</param>
    /// <param name="branchKey">The 32-byte branch key; the caller zeroes its copy.</param>
    /// <exception cref="ArgumentException">The id is empty, the version is not a UUID, or the key is not 32 bytes.</exception>
    public BranchKeyMaterials(string branchKeyIdentifier, string branchKeyVersion, IReadOnlyDictionary<string, string> encryptionContext, ReadOnlySpan<byte> branchKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(branchKeyIdentifier);
        ArgumentNullException.ThrowIfNull(encryptionContext);
        if (!Guid.TryParseExact(branchKeyVersion, "D", out _))
        {
            throw new ArgumentException("A branch key version is a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).", nameof(branchKeyVersion));
        }

        if (branchKey.Length != BranchKeyLength)
        {
            throw new ArgumentException($"A branch key is {BranchKeyLength} bytes; got {branchKey.Length}.", nameof(branchKey));
        }

        BranchKeyIdentifier = branchKeyIdentifier;
        BranchKeyVersion = branchKeyVersion.ToLowerInvariant();
        EncryptionContext = new Dictionary<string, string>(encryptionContext, StringComparer.Ordinal);
        _branchKey = SecretBuffer.Copy(branchKey);
    }

    /// <summary>The branch key id.</summary>
    public string BranchKeyIdentifier { get; }

    /// <summary>The version, a lower-case UUID.</summary>
    public string BranchKeyVersion { get; }

    /// <summary>The custom encryption context bound to the branch key.</summary>
    public IReadOnlyDictionary<string, string> EncryptionContext { get; }

    /// <summary>Releases this holder's reference to the key; it is zeroed once no one uses it.</summary>
    public void Dispose() => _branchKey.Dispose();

    /// <summary>The id and version; never the key.</summary>
    public override string ToString() => $"BranchKeyMaterials({BranchKeyIdentifier}, {BranchKeyVersion})";

    /// <summary>Takes a reference for a user of a cached copy; false once the key is gone.</summary>
    internal bool TryAcquire() => _branchKey.TryAddReference();

    /// <summary>Gives back a reference taken with <see cref="TryAcquire"/>.</summary>
    internal void Release() => _branchKey.ReleaseReference();

    internal SecretLease LeaseKey() => _branchKey.Lease();

    /// <summary>Whether the key is gone (zeroed and freed): every holder let go.</summary>
    internal bool IsKeyReleased => _branchKey.IsClosed;
}
