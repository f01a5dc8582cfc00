using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Vaultlib.Internal;


namespace Vaultlib.Storage;

// Why this file is over 400 lines: open, lock, header, atomic write and fsync discipline of the
// directory store are one unit of crash-safety reasoning. The storage issue replaces this store.

/// <summary>
/// A record store in a directory: one sealed file per record, written atomically (temporary file,
/// flushed to disk, renamed over the old one, directory flushed), so a crash at any instant leaves
/// either the old or the new record, never a torn one. Holds an exclusive lock on the directory
/// while open. Layout and formats: <c>docs/formats/record-store.md</c>.
/// </summary>
internal sealed class FileSystemRecordStore : RecordStore
{
    internal const string HeaderFileName = "vault.json";
    internal const string LockFileName = ".lock";
    private const string RecordExtension = ".rec";
    private const string TempExtension = ".tmp";
    private const int HeaderVersion = 1;

    private static ReadOnlySpan<byte> KeyCheckLabel => "vaultlib key check v1"u8;

    private readonly string _root;
    private readonly FileStream _lock;

    private FileSystemRecordStore(string root, FileStream lockHandle, SecretBuffer recordKey)
        : base(recordKey)
    {
        _root = root;
        _lock = lockHandle;
    }

    /// <summary>Opens the store in <paramref name="directory"/>, creating it (and its header) when empty.</summary>
    public static FileSystemRecordStore Open(string directory, VaultRootKey rootKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(rootKey);
        string root = Path.GetFullPath(directory);
        CreatePrivateDirectory(root);
        FileStream lockHandle = AcquireLock(root);
        try
        {
            StoreHeader header = LoadOrCreateHeader(root, rootKey);
            SecretBuffer recordKey = DeriveKeys(root, rootKey, header);
            var store = new FileSystemRecordStore(root, lockHandle, recordKey);
            return store;
        }
        catch
        {
            lockHandle.Dispose();
            throw;
        }
    }

    /// <summary>The store's directory (absolute).</summary>
    public string RootDirectory => _root;

    private protected override void WriteCore(string collection, string id, byte[] sealedRecord)
    {
        string folder = Path.Combine(_root, collection);
        CreatePrivateDirectory(folder);
        WriteAtomically(Path.Combine(folder, FileNameFor(id)), sealedRecord);
    }

    private protected override void DeleteCore(string collection, string id)
    {
        string folder = Path.Combine(_root, collection);
        string path = Path.Combine(folder, FileNameFor(id));
        if (File.Exists(path))
        {
            File.Delete(path);
            FlushDirectory(folder);
        }
    }

    private protected override bool IsLocationOf(string location, string id) =>
        string.Equals(Path.GetFileName(location), FileNameFor(id), StringComparison.Ordinal);

    private protected override IEnumerable<(string Location, byte[] Sealed)> ReadAllCore(string collection)
    {
        string folder = Path.Combine(_root, collection);
        if (!Directory.Exists(folder))
        {
            yield break;
        }

        foreach (string path in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(path);
            if (name.EndsWith(TempExtension, StringComparison.Ordinal))
            {
                // A write interrupted before its rename: never acknowledged, so never part of the store.
                File.Delete(path);
                continue;
            }

            if (!name.EndsWith(RecordExtension, StringComparison.Ordinal))
            {
                throw new VaultStoreException(VaultStoreFailure.Tampered, path, $"The store file '{path}' is not a record file; only *{RecordExtension} files belong in '{folder}'.");
            }

            yield return (path, File.ReadAllBytes(path));
        }
    }

    /// <summary>
    /// File names are the SHA-256 of the id (so any id is a safe, fixed-length name); the id
    /// itself travels inside the sealed record and is bound by its tag, and the loader checks that
    /// the name matches it.
    /// </summary>
    internal static string FileNameFor(string id) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id))) + RecordExtension;

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _lock.Dispose();
        }

        base.Dispose(disposing);
    }

    internal static void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        string temp = $"{path}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}{TempExtension}";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        FlushDirectory(Path.GetDirectoryName(path)!);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            // Every directory created on the store's behalf, parents included, is private to its owner.
            var missing = new Stack<string>();
            for (string? dir = Path.GetFullPath(path); dir is not null && !Directory.Exists(dir); dir = Path.GetDirectoryName(dir))
            {
                missing.Push(dir);
            }

            while (missing.TryPop(out string? dir))
            {
                Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }

    private static FileStream AcquireLock(string root)
    {
        string path = Path.Combine(root, LockFileName);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            return new FileStream(path, options);
        }
        catch (IOException ex)
        {
            throw new VaultStoreException(VaultStoreFailure.Locked, root, $"The store '{root}' is open in another process or instance; dispose that one first.", ex);
        }
    }

    /// <summary>
    /// Makes a rename or delete durable: on POSIX a rename is recorded in the directory, which has
    /// to be flushed itself. Best effort where the platform offers no way to do it.
    /// </summary>
    private static void FlushDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        int fd = PosixNativeMethods.Open(directory, 0 /* O_RDONLY */);
        if (fd >= 0)
        {
            _ = PosixNativeMethods.Fsync(fd);
            _ = PosixNativeMethods.Close(fd);
        }
    }

    private static StoreHeader LoadOrCreateHeader(string root, VaultRootKey rootKey)
    {
        string path = Path.Combine(root, HeaderFileName);
        if (File.Exists(path))
        {
            return StoreHeader.Read(path);
        }

        if (Directory.EnumerateFileSystemEntries(root).Any(e => Path.GetFileName(e) != LockFileName))
        {
            throw new VaultStoreException(VaultStoreFailure.InvalidHeader, path, $"The directory '{root}' is not empty but has no {HeaderFileName}; refusing to create a store over unknown files.");
        }

        var header = StoreHeader.Create(rootKey);
        using (SecretBuffer checkKey = DeriveKey(rootKey, header, "vaultlib/store/v1/key-check"))
        {
            header = header with { KeyCheck = ComputeKeyCheck(checkKey) };
        }

        WriteAtomically(path, header.ToJson());
        return header;
    }

    private static SecretBuffer DeriveKeys(string root, VaultRootKey rootKey, StoreHeader header)
    {
        if (rootKey.IsPassphrase != (header.Kdf is not null))
        {
            throw new VaultStoreException(
                VaultStoreFailure.InvalidRootKey,
                root,
                header.Kdf is null
                    ? $"The store '{root}' was created with a key file or raw key, not a passphrase."
                    : $"The store '{root}' was created with a passphrase, not a key file or raw key.");
        }

        using (SecretBuffer checkKey = DeriveKey(rootKey, header, "vaultlib/store/v1/key-check"))
        {
            byte[] expected = ComputeKeyCheck(checkKey);
            if (!CryptographicOperations.FixedTimeEquals(expected, header.KeyCheck))
            {
                throw new VaultStoreException(
                    VaultStoreFailure.InvalidRootKey,
                    Path.Combine(root, HeaderFileName),
                    $"The root key does not open the store '{root}': it is the wrong key or passphrase, or {HeaderFileName} was altered.");
            }
        }

        return DeriveKey(rootKey, header, "vaultlib/store/v1/records");
    }

    private static SecretBuffer DeriveKey(VaultRootKey rootKey, StoreHeader header, string purpose)
    {
        Span<byte> ikm = stackalloc byte[VaultRootKey.KeySizeInBytes];
        Span<byte> okm = stackalloc byte[32];
        try
        {
            rootKey.DeriveInputKey(header.Salt, header.Kdf, ikm);
            HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, okm, header.StoreId.ToByteArray(bigEndian: true), Encoding.ASCII.GetBytes(purpose));
            return SecretBuffer.Copy(okm);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ikm);
            CryptographicOperations.ZeroMemory(okm);
        }
    }

    private static byte[] ComputeKeyCheck(SecretBuffer checkKey)
    {
        using SecretLease lease = checkKey.Lease();
        return HMACSHA256.HashData(lease.Span, KeyCheckLabel);
    }
}

/// <summary>
/// <c>vault.json</c>: the store's non-secret metadata. It holds no key material: a random store
/// id (the HKDF salt), the Argon2id salt and costs when the root key is a passphrase, and a key
/// check value (HMAC-SHA256 under a derived key) so a wrong root key is reported as such.
/// </summary>
internal sealed record StoreHeader(Guid StoreId, byte[] Salt, PassphraseKdfOptions? Kdf, byte[] KeyCheck)
{
    private const string FormatName = "vaultlib-store";

    public static StoreHeader Create(VaultRootKey rootKey) =>
        new(Guid.NewGuid(), RandomNumberGenerator.GetBytes(16), rootKey.IsPassphrase ? rootKey.Kdf : null, []);

    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("format", FormatName);
            writer.WriteNumber("version", 1);
            writer.WriteString("storeId", StoreId.ToString("D"));
            writer.WriteStartObject("kdf");
            if (Kdf is null)
            {
                writer.WriteString("algorithm", "none");
            }
            else
            {
                writer.WriteString("algorithm", "argon2id");
                writer.WriteBase64String("salt", Salt);
                writer.WriteNumber("memoryKiB", Kdf.MemorySizeKiB);
                writer.WriteNumber("iterations", Kdf.Iterations);
                writer.WriteNumber("parallelism", Kdf.Parallelism);
            }

            writer.WriteEndObject();
            writer.WriteBase64String("keyCheck", KeyCheck);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static StoreHeader Read(string path)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = document.RootElement;
            if (root.GetProperty("format").GetString() != FormatName)
            {
                throw Invalid(path, "it is not a Vaultlib store header");
            }

            int version = root.GetProperty("version").GetInt32();
            if (version != 1)
            {
                throw Invalid(path, $"its version {version} is not supported (this Vaultlib reads version 1)");
            }

            Guid storeId = Guid.ParseExact(root.GetProperty("storeId").GetString()!, "D");
            JsonElement kdf = root.GetProperty("kdf");
            string? algorithm = kdf.GetProperty("algorithm").GetString();
            byte[] salt = [];
            PassphraseKdfOptions? kdfOptions = null;
            switch (algorithm)
            {
                case "none":
                    break;
                case "argon2id":
                    salt = kdf.GetProperty("salt").GetBytesFromBase64();
                    kdfOptions = new PassphraseKdfOptions
                    {
                        MemorySizeKiB = kdf.GetProperty("memoryKiB").GetInt32(),
                        Iterations = kdf.GetProperty("iterations").GetInt32(),
                        Parallelism = kdf.GetProperty("parallelism").GetInt32(),
                    };
                    kdfOptions.Validate(path);
                    if (salt.Length < 16)
                    {
                        throw Invalid(path, "its Argon2id salt is shorter than 16 bytes");
                    }

                    break;
                default:
                    throw Invalid(path, $"its KDF '{algorithm}' is unknown");
            }

            byte[] keyCheck = root.GetProperty("keyCheck").GetBytesFromBase64();
            if (keyCheck.Length != 32)
            {
                throw Invalid(path, "its key check value is not 32 bytes");
            }

            return new StoreHeader(storeId, salt, kdfOptions, keyCheck);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentNullException)
        {
            throw new VaultStoreException(VaultStoreFailure.InvalidHeader, path, $"The store header '{path}' is malformed: {ex.GetType().Name}.", ex);
        }
    }

    private static VaultStoreException Invalid(string path, string reason) =>
        new(VaultStoreFailure.InvalidHeader, path, $"The store header '{path}' is invalid: {reason}.");
}
