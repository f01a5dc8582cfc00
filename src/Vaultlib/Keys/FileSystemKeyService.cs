using Microsoft.Extensions.Logging;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Internal;
using Vaultlib.Storage;

namespace Vaultlib.Keys;

/// <summary>
/// AWS KMS in a directory. Every key and alias is a file sealed with AES-256-GCM under a key
/// derived from the <see cref="VaultRootKey"/>; every change is written atomically and flushed
/// before the call returns, so it survives a crash; a file edited, truncated or swapped on disk is
/// refused with a <see cref="VaultStoreException"/> naming it. One instance at a time may open a
/// directory. Format: <c>docs/formats/record-store.md</c>.
/// </summary>
public sealed class FileSystemKeyService : KeyService
{
    /// <summary>Opens (or creates) the key store in <paramref name="directory"/>.</summary>
    /// <param name="directory">The store's directory; created when missing, and must be empty or a store.</param>
    /// <param name="rootKey">The key that opens the store. Only used while opening; the caller keeps ownership.</param>
    /// <param name="options">Region and account for ARNs.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggerFactory">Where operation outcomes are logged (ids and error codes only).</param>
    /// <param name="auditSink">Where every call is recorded as a CloudTrail-shaped event; none when null.</param>
    /// <param name="identityPolicies">The callers' IAM identity policies; none when null (only the account root and principals the key policies name can act).</param>
    /// <exception cref="VaultStoreException">The store is locked, tampered with, or the root key is wrong.</exception>
    public FileSystemKeyService(string directory, VaultRootKey rootKey, VaultlibOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, IAuditSink? auditSink = null, IdentityPolicyStore? identityPolicies = null)
        : this(FileSystemRecordStore.Open(directory, rootKey), options, timeProvider, loggerFactory, auditSink, identityPolicies)
    {
    }

    private FileSystemKeyService(FileSystemRecordStore store, VaultlibOptions? options, TimeProvider? timeProvider, ILoggerFactory? loggerFactory, IAuditSink? auditSink, IdentityPolicyStore? identityPolicies)
        : base(store, options, timeProvider, loggerFactory, auditSink, identityPolicies)
    {
        Directory = store.RootDirectory;
        Log.KeyStoreOpened(Logger, Directory, KeyCount, AliasCount);
    }

    /// <summary>The store's directory (absolute).</summary>
    public string Directory { get; }
}
