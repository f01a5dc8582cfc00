using System.Security.Cryptography;
using System.Text;
using Vaultlib.Envelope;
using Vaultlib.Keys;
using Vaultlib.Pipeline;

namespace Vaultlib.Parameters;

/// <summary>
/// SecureString encryption, through KMS as AWS does it: as the caller, with <c>kms:ViaService</c>
/// <c>ssm.&lt;region&gt;.amazonaws.com</c> and the encryption context <c>PARAMETER_ARN</c>. Values up
/// to KMS's 4 KB go through <c>Encrypt</c>; larger ones (Advanced tier) are AWS Encryption SDK
/// messages whose data key KMS generates under the same key, as AWS encrypts advanced parameters.
/// KMS's refusals become SSM's errors: a denial is <see cref="AccessDeniedException"/>, an unusable
/// key <see cref="InvalidKeyIdException"/>.
/// </summary>
internal static class SsmCrypto
{
    public const string DefaultKeyId = "alias/aws/ssm";
    public const string ContextKey = "PARAMETER_ARN";

    /// <summary>Encrypts a SecureString value; returns the ciphertext, whether it is an Encryption SDK message, and the key's ARN.</summary>
    public static async ValueTask<(byte[] Ciphertext, bool Envelope, string KeyArn)> EncryptAsync(ParameterTable table, RequestContext context, string arn, string? keyId, string value, CancellationToken cancellationToken)
    {
        KeyService kms = ViaSsm(table, context);
        byte[] plaintext = Encoding.UTF8.GetBytes(value);
        try
        {
            string key = keyId is null
                ? await table.Keys.GetOrCreateAwsManagedKeyAsync("ssm", cancellationToken).ConfigureAwait(false)
                : (await table.Keys.Table.ResolveAsync(keyId, cancellationToken).ConfigureAwait(false)).Arn;
            var encryptionContext = new Dictionary<string, string>(StringComparer.Ordinal) { [ContextKey] = arn };
            if (plaintext.Length <= KeyService.MaxPlaintextLength)
            {
                EncryptResponse encrypted = await kms.EncryptAsync(new EncryptRequest { KeyId = key, Plaintext = plaintext, EncryptionContext = encryptionContext }, cancellationToken).ConfigureAwait(false);
                return (encrypted.CiphertextBlob.ToArray(), false, key);
            }

            EncryptOutput message = await new EnvelopeEncryptor().EncryptAsync(new EncryptInput { Plaintext = plaintext, Keyring = new KmsKeyring(kms, key), EncryptionContext = encryptionContext }, cancellationToken).ConfigureAwait(false);
            return (message.Ciphertext.ToArray(), true, key);
        }
        catch (Exception ex) when (Translate(ex, keyId ?? DefaultKeyId) is { } error)
        {
            throw error;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    public static async ValueTask<string> DecryptAsync(ParameterTable table, RequestContext context, string arn, ParameterVersionRecord version, CancellationToken cancellationToken)
    {
        KeyService kms = ViaSsm(table, context);
        var encryptionContext = new Dictionary<string, string>(StringComparer.Ordinal) { [ContextKey] = arn };
        byte[]? plaintext = null;
        try
        {
            if (!version.Envelope)
            {
                plaintext = (await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = version.Ciphertext!, EncryptionContext = encryptionContext }, cancellationToken).ConfigureAwait(false)).Plaintext.ToArray();
            }
            else
            {
                DecryptOutput message = await new EnvelopeEncryptor().DecryptAsync(new DecryptInput { Ciphertext = version.Ciphertext!, Keyring = new KmsKeyring(kms, generatorKeyId: null, additionalKeyIds: [version.KeyArn!]) }, cancellationToken).ConfigureAwait(false);
                plaintext = message.Plaintext.ToArray();
            }

            return Encoding.UTF8.GetString(plaintext);
        }
        catch (Exception ex) when (Translate(ex, version.KeyId ?? DefaultKeyId) is { } error)
        {
            throw error;
        }
        finally
        {
            if (plaintext is not null)
            {
                CryptographicOperations.ZeroMemory(plaintext);
            }
        }
    }

    private static KeyService ViaSsm(ParameterTable table, RequestContext context) =>
        table.Keys.AsCaller(context.Caller with { ViaService = $"ssm.{table.Options.Region}.amazonaws.com" });

    private static ParameterStoreException? Translate(Exception error, string keyId) => error switch
    {
        Keys.AccessDeniedException denied => new AccessDeniedException(denied.Message),
        KeyManagementException or AwsCryptoException => new InvalidKeyIdException($"The KMS key {keyId} is not usable for this SecureString: {error.Message}"),
        _ => null,
    };
}
