using System.Security.Cryptography;
using System.Text;
using Vaultlib.Pipeline;

namespace Vaultlib.Secrets;

/// <summary>
/// A secret's value on its way in and out: exactly one of <c>SecretString</c> and <c>SecretBinary</c>, 1-65,536
/// bytes; new versions sealed through <see cref="SecretCrypto"/>; a <c>ClientRequestToken</c> that names an existing
/// version succeeds only with the same value, compared in constant time.
/// </summary>
internal static class SecretValues
{
    public const int MaxBytes = 65_536;

    /// <summary>Checks the value members; <paramref name="required"/> when the operation needs a value.</summary>
    public static bool Validate(string? secretString, ReadOnlyMemory<byte>? secretBinary, bool required)
    {
        if (secretString is not null && secretBinary is not null)
        {
            throw new InvalidParameterException("SecretString", "You can't specify both a binary secret value and a string secret value in the same secret.");
        }

        if (secretString is null && secretBinary is null)
        {
            return required ? throw new InvalidParameterException("SecretString", "You must provide either SecretString or SecretBinary.") : false;
        }

        int length = secretString is not null ? Encoding.UTF8.GetByteCount(secretString) : secretBinary!.Value.Length;
        if (length is < 1 or > MaxBytes)
        {
            throw new ValidationException(secretString is not null ? "SecretString" : "SecretBinary", $"The secret value must be 1-{MaxBytes} bytes.");
        }

        return true;
    }

    /// <summary>The value's bytes (a copy the caller zeroes).</summary>
    public static byte[] Bytes(string? secretString, ReadOnlyMemory<byte>? secretBinary) =>
        secretString is not null ? Encoding.UTF8.GetBytes(secretString) : secretBinary!.Value.ToArray();

    /// <summary>
    /// A new version of <paramref name="secret"/> holding the value, sealed as the caller, under the secret's key,
    /// or the existing version when <paramref name="token"/> names one with the same value
    /// (<see cref="ResourceExistsException"/> when its value differs); a version the token names that has no value
    /// yet (a rotation's AWSPENDING) comes back with the value, keeping its labels.
    /// </summary>
    public static async ValueTask<(SecretVersionRecord Version, bool Existing)> NewVersionAsync(SecretTable table, RequestContext context, SecretRecord secret, string? token, string? secretString, ReadOnlyMemory<byte>? secretBinary, CancellationToken cancellationToken)
    {
        string versionId = token ?? Guid.NewGuid().ToString();
        byte[] plaintext = Bytes(secretString, secretBinary);
        try
        {
            SecretVersionRecord? existing = secret.Version(versionId);
            if (existing is { Ciphertext: not null })
            {
                bool same = existing.Ciphertext is not null && existing.Binary == (secretBinary is not null) && await SameValueAsync(table, context, secret, existing, plaintext, cancellationToken).ConfigureAwait(false);
                return same ? (existing, true) : throw new ResourceExistsException($"A version with the ClientRequestToken {versionId} already exists with a different value.");
            }

            // A version with no value yet (the one a rotation labels AWSPENDING before createSecret) takes this one.
            (byte[] sealedValue, string keyArn) = await SecretCrypto.EncryptAsync(table, context.Caller, secret.Arn, versionId, secret.KmsKeyId, plaintext, cancellationToken).ConfigureAwait(false);
            return existing is not null
                ? (existing with { Ciphertext = sealedValue, Binary = secretBinary is not null, KeyArn = keyArn }, false)
                : (new SecretVersionRecord { VersionId = versionId, Ciphertext = sealedValue, Binary = secretBinary is not null, KeyArn = keyArn, Stages = [], CreatedDate = table.Now }, false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>The version's value as the response members: (SecretString, SecretBinary).</summary>
    public static async ValueTask<(string? SecretString, ReadOnlyMemory<byte>? SecretBinary)> ReadAsync(SecretTable table, RequestContext context, SecretRecord secret, SecretVersionRecord version, CancellationToken cancellationToken) =>
        version.Binary
            ? (null, await SecretCrypto.DecryptAsync(table, context.Caller, secret.Arn, version, cancellationToken).ConfigureAwait(false)) // handed to the caller, who owns it now
            : (await SecretCrypto.DecryptAsync(table, context.Caller, secret.Arn, version, 0, static (plaintext, _) => Encoding.UTF8.GetString(plaintext), cancellationToken).ConfigureAwait(false), null);

    private static async ValueTask<bool> SameValueAsync(SecretTable table, RequestContext context, SecretRecord secret, SecretVersionRecord existing, byte[] plaintext, CancellationToken cancellationToken)
    {
        byte[] stored = await SecretCrypto.DecryptAsync(table, context.Caller, secret.Arn, existing, cancellationToken).ConfigureAwait(false);
        try
        {
            return CryptographicOperations.FixedTimeEquals(stored, plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(stored);
        }
    }
}
