using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Vaultlib.Internal;

namespace Vaultlib.Storage;

/// <summary>
/// The application-supplied key that protects a file-backed store at rest: either 32 random bytes
/// (a key file, or bytes from your own secret source) or a passphrase stretched with Argon2id.
/// Every record in the store is encrypted under keys derived from it with HKDF-SHA256; losing it
/// loses the store.
/// </summary>
/// <remarks>The bytes live in unmanaged memory, are zeroed on <see cref="Dispose"/>, and never appear in <see cref="ToString"/>.</remarks>
public sealed class VaultRootKey : IDisposable
{
    /// <summary>The length of a raw root key: 32 bytes (256 bits).</summary>
    public const int KeySizeInBytes = 32;

    private readonly SecretBuffer _secret;

    private VaultRootKey(SecretBuffer secret, bool isPassphrase, PassphraseKdfOptions? kdf)
    {
        _secret = secret;
        IsPassphrase = isPassphrase;
        Kdf = kdf;
    }

    internal bool IsPassphrase { get; }

    internal PassphraseKdfOptions? Kdf { get; }

    /// <summary>A root key from exactly <see cref="KeySizeInBytes"/> bytes. The caller keeps and zeroes its copy.</summary>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not 32 bytes.</exception>
    public static VaultRootKey FromBytes(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySizeInBytes)
        {
            throw new ArgumentException($"A root key must be exactly {KeySizeInBytes} bytes; got {key.Length}.", nameof(key));
        }

        return new VaultRootKey(SecretBuffer.Copy(key), isPassphrase: false, kdf: null);
    }

    /// <summary>
    /// Reads a key file written by <see cref="CreateKeyFile"/>: 32 raw bytes, or their base64 text.
    /// </summary>
    /// <remarks>
    /// On Unix the file must be private to its owner, as <see cref="CreateKeyFile"/> makes it (mode
    /// 0600 or stricter); a key file that others could read is refused, as ssh refuses such private keys.
    /// </remarks>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">The file does not hold a 32-byte key.</exception>
    /// <exception cref="VaultStoreException">The file can be read or written by others (<see cref="VaultStoreFailure.InsecureKeyFile"/>).</exception>
    public static VaultRootKey FromKeyFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        RequirePrivate(path);
        byte[] content = File.ReadAllBytes(path);
        byte[] decoded = new byte[KeySizeInBytes];
        try
        {
            if (content.Length == KeySizeInBytes)
            {
                return FromBytes(content);
            }

            string text = Encoding.ASCII.GetString(content).Trim();
            if (Convert.TryFromBase64String(text, decoded, out int written) && written == KeySizeInBytes)
            {
                return FromBytes(decoded);
            }

            throw new ArgumentException($"The key file '{path}' does not hold a {KeySizeInBytes}-byte key (raw or base64).", nameof(path));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(content);
            CryptographicOperations.ZeroMemory(decoded);
        }
    }

    private static void RequirePrivate(string path)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(path))
        {
            return;
        }

        const UnixFileMode OthersMayAccess = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        UnixFileMode mode = File.GetUnixFileMode(path);
        if ((mode & OthersMayAccess) != 0)
        {
            throw new VaultStoreException(
                VaultStoreFailure.InsecureKeyFile,
                path,
                $"The root key file '{path}' is accessible to users other than its owner (mode {Convert.ToString((int)mode, 8).PadLeft(4, '0')}); make it private to its owner (chmod 600) and use it again.");
        }
    }

    /// <summary>
    /// Writes a new random 32-byte key, base64-encoded, to <paramref name="path"/>, readable only by
    /// its owner on Unix, and returns it. Refuses to overwrite an existing file.
    /// </summary>
    /// <exception cref="IOException">The file already exists.</exception>
    public static VaultRootKey CreateKeyFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Span<byte> key = stackalloc byte[KeySizeInBytes];
        Span<byte> text = stackalloc byte[44];
        try
        {
            RandomNumberGenerator.Fill(key);
            System.Buffers.Text.Base64.EncodeToUtf8(key, text, out _, out int written);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(path, options))
            {
                stream.Write(text[..written]);
                stream.Flush(flushToDisk: true);
            }

            return FromBytes(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(text);
        }
    }

    /// <summary>
    /// A root key stretched from <paramref name="passphrase"/> with Argon2id. The salt is random per
    /// store and kept in its header; <paramref name="kdf"/> sets the cost when the store is created.
    /// </summary>
    /// <exception cref="ArgumentException">The passphrase is empty.</exception>
    public static VaultRootKey FromPassphrase(string passphrase, PassphraseKdfOptions? kdf = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(passphrase);
        kdf ??= PassphraseKdfOptions.Default;
        kdf.Validate("passphrase options");
        byte[] utf8 = Encoding.UTF8.GetBytes(passphrase);
        try
        {
            return new VaultRootKey(SecretBuffer.Copy(utf8), isPassphrase: true, kdf);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(utf8);
        }
    }

    /// <summary>
    /// The input keying material for a store: the raw key, or Argon2id(passphrase, salt) with the
    /// header's parameters. Written into <paramref name="destination"/> (32 bytes).
    /// </summary>
    internal void DeriveInputKey(ReadOnlySpan<byte> salt, PassphraseKdfOptions? headerKdf, Span<byte> destination)
    {
        using SecretLease lease = _secret.Lease();
        if (!IsPassphrase)
        {
            lease.Span.CopyTo(destination);
            return;
        }

        PassphraseKdfOptions kdf = headerKdf ?? Kdf ?? PassphraseKdfOptions.Default;
        var parameters = new Argon2Parameters.Builder(Argon2Parameters.Argon2id)
            .WithVersion(Argon2Parameters.Version13)
            .WithSalt(salt.ToArray())
            .WithMemoryAsKB(kdf.MemorySizeKiB)
            .WithIterations(kdf.Iterations)
            .WithParallelism(kdf.Parallelism)
            .Build();
        var generator = new Argon2BytesGenerator();
        generator.Init(parameters);
        byte[] password = lease.Span.ToArray();
        byte[] output = new byte[KeySizeInBytes];
        try
        {
            generator.GenerateBytes(password, output);
            output.CopyTo(destination);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
            CryptographicOperations.ZeroMemory(output);
        }
    }

    /// <summary>Zeroes and frees the key bytes.</summary>
    public void Dispose() => _secret.Dispose();

    /// <summary>The kind of root key only; never its bytes.</summary>
    public override string ToString() => IsPassphrase ? "VaultRootKey(Argon2id passphrase)" : "VaultRootKey(256-bit key)";
}
