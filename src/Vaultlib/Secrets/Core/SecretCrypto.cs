using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Vaultlib.Authorization;
using Vaultlib.Keys;
using Vaultlib.Pipeline;

namespace Vaultlib.Secrets;

/// <summary>
/// How a secret's value is sealed, as Secrets Manager does it: through KMS as the caller, with <c>kms:ViaService</c>
/// <c>secretsmanager.&lt;region&gt;.amazonaws.com</c>, a data key from <c>GenerateDataKey</c> under the secret's key
/// with the encryption context <c>SecretARN</c> and <c>SecretVersionId</c>, and the value under that data key with
/// AES-256-GCM (KMS's audit trail shows GenerateDataKey for each new version and Decrypt for each read, as
/// CloudTrail does for AWS). The sealed form: a format byte (1), the data key blob's length (2 bytes, big-endian),
/// the blob, a 12-byte nonce, the 16-byte tag, then the ciphertext; the version id is the GCM associated data.
/// KMS's refusals become Secrets Manager's errors: a denial is <see cref="AccessDeniedException"/>, any other
/// <see cref="EncryptionFailureException"/> or <see cref="DecryptionFailureException"/>.
/// </summary>
internal static class SecretCrypto
{
    public const string DefaultKeyId = "alias/aws/secretsmanager";
    private const byte Format = 1;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int MaxStackVersionId = 256;
    private const int MaxStackPlaintext = 2048;

    /// <summary>Seals <paramref name="plaintext"/> for the version; returns the sealed value and the key's ARN.</summary>
    public static async ValueTask<(byte[] Sealed, string KeyArn)> EncryptAsync(SecretTable table, CallerIdentity caller, string secretArn, string versionId, string? keyId, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken)
    {
        byte[]? dataKey = null;
        try
        {
            string key = keyId is null
                ? await table.Keys.GetOrCreateAwsManagedKeyAsync("secretsmanager", cancellationToken).ConfigureAwait(false)
                : (await table.Keys.Table.ResolveAsync(keyId, cancellationToken).ConfigureAwait(false)).Arn;
            GenerateDataKeyResponse generated = await ViaSecretsManager(table, caller).GenerateDataKeyAsync(
                new GenerateDataKeyRequest { KeyId = key, KeySpec = DataKeySpec.AES_256, EncryptionContext = Context(secretArn, versionId) },
                cancellationToken).ConfigureAwait(false);
            dataKey = generated.Plaintext.ToArray();
            ReadOnlySpan<byte> blob = generated.CiphertextBlob.Span;
            byte[] sealedValue = new byte[1 + 2 + blob.Length + NonceLength + TagLength + plaintext.Length];
            sealedValue[0] = Format;
            BinaryPrimitives.WriteUInt16BigEndian(sealedValue.AsSpan(1), checked((ushort)blob.Length));
            blob.CopyTo(sealedValue.AsSpan(3));
            int at = 3 + blob.Length;
            Span<byte> nonce = sealedValue.AsSpan(at, NonceLength);
            RandomNumberGenerator.Fill(nonce);
            using var gcm = new AesGcm(dataKey, TagLength);
            gcm.Encrypt(nonce, plaintext.Span, sealedValue.AsSpan(at + NonceLength + TagLength), sealedValue.AsSpan(at + NonceLength, TagLength), Encoding.UTF8.GetBytes(versionId));
            return (sealedValue, key);
        }
        catch (Exception ex) when (Translate(ex, keyId, encrypting: true) is { } error)
        {
            throw error;
        }
        finally
        {
            if (dataKey is not null)
            {
                CryptographicOperations.ZeroMemory(dataKey);
            }
        }
    }

    /// <summary>Opens a version's sealed value; the caller zeroes the result when done.</summary>
    public static ValueTask<byte[]> DecryptAsync(SecretTable table, CallerIdentity caller, string secretArn, SecretVersionRecord version, CancellationToken cancellationToken) =>
        DecryptAsync(table, caller, secretArn, version, 0, static (plaintext, _) => plaintext.ToArray(), cancellationToken);

    /// <summary>
    /// Opens a version's sealed value and hands the plaintext to <paramref name="read"/>, in a buffer zeroed as soon as
    /// it returns (so a read that only needs the value's text leaves no copy of the bytes on the heap).
    /// </summary>
    public static async ValueTask<TResult> DecryptAsync<TState, TResult>(SecretTable table, CallerIdentity caller, string secretArn, SecretVersionRecord version, TState state, PlaintextReader<TState, TResult> read, CancellationToken cancellationToken)
    {
        byte[] sealedValue = version.Ciphertext ?? throw new InvalidOperationException("The version has no value.");
        if (sealedValue.Length < 3 || sealedValue[0] != Format)
        {
            throw new DecryptionFailureException("The secret's stored value is not in a form this Vaultlib reads.");
        }

        int blobLength = BinaryPrimitives.ReadUInt16BigEndian(sealedValue.AsSpan(1));
        if (sealedValue.Length < 3 + blobLength + NonceLength + TagLength)
        {
            throw new DecryptionFailureException("The secret's stored value is truncated.");
        }

        Memory<byte> dataKey = default;
        try
        {
            KeyTable keys = table.Keys.Table;
            DecryptResponse decrypted = await keys.Pipeline.Invoke(
                Keys.Operations.Decrypt.Instance,
                keys,
                new DecryptRequest { CiphertextBlob = sealedValue.AsMemory(3, blobLength), EncryptionContext = Context(secretArn, version.VersionId) },
                table.ViaSecretsManager(caller),
                cancellationToken).ConfigureAwait(false);
            dataKey = MemoryMarshal.AsMemory(decrypted.Plaintext); // KMS's copy, ours to zero
            using SecretCiphers.Lease cipher = table.Ciphers.Rent(secretArn, sealedValue, dataKey.Span);
            return Open(cipher.Gcm, sealedValue, 3 + blobLength, version.VersionId, state, read);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new DecryptionFailureException("The secret's stored value failed authentication.");
        }
        catch (Exception ex) when (Translate(ex, version.KeyArn, encrypting: false) is { } error)
        {
            throw error;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey.Span);
        }
    }

    private static TResult Open<TState, TResult>(AesGcm gcm, byte[] sealedValue, int at, string versionId, TState state, PlaintextReader<TState, TResult> read)
    {
        int length = sealedValue.Length - at - NonceLength - TagLength;
        byte[]? rented = null;
        Span<byte> plaintext = length <= MaxStackPlaintext ? stackalloc byte[MaxStackPlaintext] : (rented = ArrayPool<byte>.Shared.Rent(length));
        plaintext = plaintext[..length];
        Span<byte> associated = stackalloc byte[MaxStackVersionId];
        associated = Encoding.UTF8.TryGetBytes(versionId, associated, out int written) ? associated[..written] : Encoding.UTF8.GetBytes(versionId);
        try
        {
            gcm.Decrypt(sealedValue.AsSpan(at, NonceLength), sealedValue.AsSpan(at + NonceLength + TagLength), sealedValue.AsSpan(at + NonceLength, TagLength), plaintext, associated);
            return read(plaintext, state);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static Dictionary<string, string> Context(string secretArn, string versionId) =>
        new(StringComparer.Ordinal) { ["SecretARN"] = secretArn, ["SecretVersionId"] = versionId };

    private static KeyService ViaSecretsManager(SecretTable table, CallerIdentity caller) =>
        table.Keys.AsCaller(table.ViaSecretsManager(caller));

    private static SecretsManagerException? Translate(Exception error, string? keyId, bool encrypting) => error switch
    {
        Keys.AccessDeniedException => new AccessDeniedException($"Access to KMS is not allowed: {error.Message}"),
        KeyManagementException when encrypting => new EncryptionFailureException($"Secrets Manager can't encrypt the secret with the KMS key {keyId ?? DefaultKeyId}: {error.Message}"),
        KeyManagementException => new DecryptionFailureException($"Secrets Manager can't decrypt the secret with the KMS key {keyId ?? DefaultKeyId}: {error.Message}"),
        _ => null,
    };
}

/// <summary>Reads a plaintext that is zeroed as soon as the reader returns.</summary>
internal delegate TResult PlaintextReader<in TState, out TResult>(ReadOnlySpan<byte> plaintext, TState state);
