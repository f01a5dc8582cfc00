using System.Security.Cryptography;
using Vaultlib.Envelope;

namespace Vaultlib.Tests.Envelope;

/// <summary>
/// A keyring and a materials manager written outside the library, with its public API only, for a signing suite:
/// they encrypt and decrypt with the library's own pieces both ways, the signature is checked, the key they decrypted
/// is reported, and they throw the library's errors (all under one base).
/// </summary>
public sealed class ExtensibilityTests
{
    private static readonly AlgorithmSuite s_signing = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384;
    private static readonly Dictionary<string, string> s_context = new() { ["tenant"] = "a" };

    /// <summary>Wraps data keys with AES-GCM under its own key, as a user's keyring over their own key store would.</summary>
    private sealed class UserKeyring(byte[] wrappingKey, string name) : IKeyring
    {
        public ValueTask OnEncryptAsync(EncryptionMaterials materials, CancellationToken cancellationToken = default)
        {
            Span<byte> dataKey = stackalloc byte[materials.Suite.DataKeyLength];
            if (materials.HasPlaintextDataKey)
            {
                materials.CopyPlaintextDataKey(dataKey);
            }
            else
            {
                RandomNumberGenerator.Fill(dataKey);
                materials.SetPlaintextDataKey(dataKey);
            }

            byte[] wrapped = new byte[12 + dataKey.Length + 16];
            RandomNumberGenerator.Fill(wrapped.AsSpan(0, 12));
            using (var gcm = new AesGcm(wrappingKey, 16))
            {
                gcm.Encrypt(wrapped.AsSpan(0, 12), dataKey, wrapped.AsSpan(12, dataKey.Length), wrapped.AsSpan(12 + dataKey.Length));
            }

            CryptographicOperations.ZeroMemory(dataKey);
            materials.AddEncryptedDataKey(new EncryptedDataKey { KeyProviderId = "user-store", KeyProviderInfo = System.Text.Encoding.UTF8.GetBytes(name), Ciphertext = wrapped });
            return ValueTask.CompletedTask;
        }

        public ValueTask OnDecryptAsync(DecryptionMaterials materials, IReadOnlyList<EncryptedDataKey> encryptedDataKeys, CancellationToken cancellationToken = default)
        {
            foreach (EncryptedDataKey edk in encryptedDataKeys.Where(k => k.KeyProviderId == "user-store" && k.KeyProviderInfo.Span.SequenceEqual(System.Text.Encoding.UTF8.GetBytes(name))))
            {
                ReadOnlySpan<byte> wrapped = edk.Ciphertext.Span;
                byte[] dataKey = new byte[wrapped.Length - 28];
                try
                {
                    using var gcm = new AesGcm(wrappingKey, 16);
                    gcm.Decrypt(wrapped[..12], wrapped[12..^16], wrapped[^16..], dataKey);
                    materials.SetPlaintextDataKey(dataKey, edk);
                    return ValueTask.CompletedTask;
                }
                catch (AuthenticationTagMismatchException)
                {
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(dataKey);
                }
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Always the signing suite, a fixed extra context pair, and the library's error when nothing decrypts.</summary>
    private sealed class UserMaterialsManager(IKeyring keyring) : ICryptoMaterialsManager
    {
        public async ValueTask<EncryptionMaterials> GetEncryptionMaterialsAsync(GetEncryptionMaterialsInput input, CancellationToken cancellationToken = default)
        {
            var materials = new EncryptionMaterials(s_signing, new Dictionary<string, string>(input.EncryptionContext) { ["managed-by"] = "user" });
            await keyring.OnEncryptAsync(materials, cancellationToken);
            return materials;
        }

        public async ValueTask<DecryptionMaterials> DecryptMaterialsAsync(DecryptMaterialsInput input, CancellationToken cancellationToken = default)
        {
            var materials = new DecryptionMaterials(input.AlgorithmSuiteId, input.EncryptionContext);
            await keyring.OnDecryptAsync(materials, input.EncryptedDataKeys, cancellationToken);
            if (!materials.HasPlaintextDataKey)
            {
                materials.Dispose();
                throw new CannotUnwrapDataKeyException("The user store holds none of the message's keys.");
            }

            return materials;
        }
    }

    /// <summary>A user's own error under the library's base.</summary>
    private sealed class UserStoreUnavailableException() : AwsCryptoException("UserStoreUnavailable", "The user's key store is down.");

    [Fact]
    public async Task A_user_written_keyring_and_materials_manager_work_for_a_signing_suite_both_ways()
    {
        var keyring = new UserKeyring(RandomNumberGenerator.GetBytes(32), "k1");
        var encryptor = new EnvelopeEncryptor();
        byte[] plaintext = RandomNumberGenerator.GetBytes(10_000);

        EncryptOutput sealedByUser = await encryptor.EncryptAsync(new EncryptInput { Plaintext = plaintext, MaterialsManager = new UserMaterialsManager(keyring), EncryptionContext = s_context });
        Assert.Equal(s_signing, sealedByUser.AlgorithmSuiteId);
        Assert.True(sealedByUser.EncryptionContext.ContainsKey(DefaultCryptoMaterialsManager.PublicKeyContextKey));
        Assert.Equal("user", sealedByUser.EncryptionContext["managed-by"]);

        // Opened by the library's default manager over the user's keyring, and by the user's manager.
        DecryptOutput byDefault = await encryptor.DecryptAsync(new DecryptInput { Ciphertext = sealedByUser.Ciphertext, Keyring = keyring });
        DecryptOutput byUser = await encryptor.DecryptAsync(new DecryptInput { Ciphertext = sealedByUser.Ciphertext, MaterialsManager = new UserMaterialsManager(keyring) });
        Assert.Equal(plaintext, byDefault.Plaintext.ToArray());
        Assert.Equal(plaintext, byUser.Plaintext.ToArray());
        Assert.Equal("user-store", byUser.DecryptedDataKey!.KeyProviderId);

        // Sealed by the library's default manager, opened by the user's.
        EncryptOutput sealedByDefault = await encryptor.EncryptAsync(new EncryptInput { Plaintext = plaintext, Keyring = keyring, AlgorithmSuiteId = s_signing });
        Assert.Equal(plaintext, (await encryptor.DecryptAsync(new DecryptInput { Ciphertext = sealedByDefault.Ciphertext, MaterialsManager = new UserMaterialsManager(keyring) })).Plaintext.ToArray());

        // The signature the user's materials made is checked: a changed last byte fails authentication.
        byte[] tampered = sealedByUser.Ciphertext.ToArray();
        tampered[^1] ^= 1;
        await Assert.ThrowsAsync<BadCiphertextException>(async () => await encryptor.DecryptAsync(new DecryptInput { Ciphertext = tampered, MaterialsManager = new UserMaterialsManager(keyring) }));

        // The user's manager throws the library's error, and a user's own error shares the base.
        var other = new UserKeyring(RandomNumberGenerator.GetBytes(32), "k1");
        await Assert.ThrowsAsync<CannotUnwrapDataKeyException>(async () => await encryptor.DecryptAsync(new DecryptInput { Ciphertext = sealedByUser.Ciphertext, MaterialsManager = new UserMaterialsManager(other) }));
        AwsCryptoException own = new UserStoreUnavailableException();
        Assert.Equal("UserStoreUnavailable", own.ErrorCode);
    }

    [Fact]
    public void Materials_keep_their_rules_for_code_outside_the_library()
    {
        // The public key's context key is the materials' own.
        Assert.Throws<ValidationException>(() => new EncryptionMaterials(s_signing, new Dictionary<string, string> { [DefaultCryptoMaterialsManager.PublicKeyContextKey] = "x" }));
        // A signing suite's decryption materials need the public key in the context; a non-signing suite's must not have one.
        Assert.Throws<BadCiphertextException>(() => new DecryptionMaterials(s_signing, s_context));
        Assert.Throws<BadCiphertextException>(() => new DecryptionMaterials(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, new Dictionary<string, string> { [DefaultCryptoMaterialsManager.PublicKeyContextKey] = "x" }));
        using var materials = new DecryptionMaterials(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, s_context);
        Assert.Throws<ArgumentException>(() => materials.SetRequiredEncryptionContextKeys(["absent"]));
        materials.SetRequiredEncryptionContextKeys(["tenant"]);
        Assert.Equal(["tenant"], materials.RequiredEncryptionContextKeys);
        Assert.Throws<ArgumentNullException>(() => materials.SetPlaintextDataKey(new byte[32], null!));
    }
}
