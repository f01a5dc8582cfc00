using System.Security.Cryptography;

namespace Vaultlib.Envelope;

/// <summary>The encrypt and decrypt steps the raw and AWS KMS ECDH keyrings share, around <see cref="EcdhWrapping"/>.</summary>
internal static class EcdhKeyrings
{
    /// <summary>Generates the data key if needed, wraps it under the shared secret, and adds the encrypted data key.</summary>
    public static void Wrap(EncryptionMaterials materials, byte[] secret, string providerId, EcdhCurveSpec curve, byte[] sender, byte[] recipient)
    {
        byte[] fixedInfo = EcdhWrapping.FixedInfo(curve, sender, recipient, materials.EncryptionContext);
        materials.WrapDataKey(
            static (dataKey, state) => new EncryptedDataKey
            {
                KeyProviderId = state.ProviderId,
                KeyProviderInfo = EcdhWrapping.ProviderInfo(state.Recipient, state.Sender),
                Ciphertext = EcdhWrapping.Wrap(state.Secret, state.FixedInfo, dataKey),
            },
            (ProviderId: providerId, Recipient: recipient, Sender: sender, Secret: secret, FixedInfo: fixedInfo));
    }

    /// <summary>
    /// Tries each ECDH encrypted data key of the given provider ids whose provider info parses for the curve;
    /// <paramref name="secretFor"/> gives the shared secret for its (recipient, sender) keys, or null when they are not
    /// this keyring's. Failures are collected into the <see cref="CannotUnwrapDataKeyException"/>.
    /// </summary>
    public static async ValueTask UnwrapAsync(
        DecryptionMaterials materials, IReadOnlyList<EncryptedDataKey> encryptedDataKeys, EcdhCurveSpec curve, string[] providerIds, object keyring,
        Func<byte[], byte[], CancellationToken, ValueTask<byte[]?>> secretFor, CancellationToken cancellationToken)
    {
        var errors = new List<Exception>();
        int tried = 0;
        foreach (EncryptedDataKey edk in encryptedDataKeys)
        {
            if (!providerIds.Contains(edk.KeyProviderId))
            {
                continue;
            }

            if (!EcdhWrapping.TryReadProviderInfo(edk.KeyProviderInfo.Span, curve, out byte[] recipient, out byte[] sender))
            {
                continue;
            }

            try
            {
                byte[]? secret = await secretFor(recipient, sender, cancellationToken).ConfigureAwait(false);
                if (secret is null)
                {
                    continue;
                }

                tried++;
                try
                {
                    Unwrap(materials, edk, curve, sender, recipient, secret);
                    return;
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(secret);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                errors.Add(e);
            }
        }

        throw CannotUnwrapDataKeyException.NoneDecrypted(keyring, encryptedDataKeys.Count, $"{tried} were for its keys", errors);
    }

    private static void Unwrap(DecryptionMaterials materials, EncryptedDataKey edk, EcdhCurveSpec curve, byte[] sender, byte[] recipient, byte[] secret)
    {
        byte[] fixedInfo = EcdhWrapping.FixedInfo(curve, sender, recipient, materials.EncryptionContext);
        Span<byte> dataKey = stackalloc byte[materials.Suite.DataKeyLength];
        try
        {
            EcdhWrapping.Unwrap(secret, fixedInfo, edk.Ciphertext.Span, dataKey);
            materials.SetPlaintextDataKey(dataKey, edk);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }
}
