namespace Vaultlib.Storage;

/// <summary>What went wrong with a store; see <see cref="VaultStoreException.Failure"/>.</summary>
public enum VaultStoreFailure
{
    /// <summary>A store file failed authentication: edited, truncated, swapped with another record or not a store file.</summary>
    Tampered,

    /// <summary>The root key does not open this store (wrong key or passphrase, or the store header was altered).</summary>
    InvalidRootKey,

    /// <summary>Another process (or another instance in this process) has the store open.</summary>
    Locked,

    /// <summary>The store header is missing, malformed, of an unknown version, or asks for unreasonable KDF costs.</summary>
    InvalidHeader,

    /// <summary>A root key file can be read or written by users other than its owner (on Unix: group or other permission bits are set).</summary>
    InsecureKeyFile,

    /// <summary>The vault is older than a monotonic counter kept elsewhere says it must be: it was rolled back to an earlier copy.</summary>
    RolledBack,
}

/// <summary>
/// A file-backed store could not be opened or read safely. The message names the file at fault;
/// it never contains record contents.
/// </summary>
public sealed class VaultStoreException : VaultlibException
{
    /// <summary>Creates the error for <paramref name="location"/> (a file, a record, a database), for stores written outside Vaultlib too.</summary>
    public VaultStoreException(VaultStoreFailure failure, string location, string message, Exception? innerException = null)
        : base("VaultStore" + failure, message, innerException)
    {
        Failure = failure;
        Location = location;
    }

    /// <summary>The kind of failure.</summary>
    public VaultStoreFailure Failure { get; }

    /// <summary>The file or directory at fault.</summary>
    public string Location { get; }
}
