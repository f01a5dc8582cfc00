using System.Security.Cryptography;
using System.Text;
using Vaultlib.Envelope;
using Vaultlib.Keys;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Envelope.Keyrings;

/// <summary>
/// The AWS KMS RSA keyring: wraps locally with the KMS key's public half (the context's SHA-384 digest before the data
/// key), unwraps through KMS Decrypt with the configured algorithm, and refuses signing suites and other contexts.
/// </summary>
public sealed class AwsKmsRsaKeyringTests : IDisposable
{
    private static readonly Dictionary<string, string> s_context = new() { ["order"] = "42" };
    private readonly VaultlibHost _host = new(timeProvider: TestData.NewClock());
    private readonly EnvelopeEncryptor _encryptor = new();

    public void Dispose() => _host.Dispose();

    private KeyService Kms => _host.Keys;

    private async Task<(string Arn, string PublicKeyPem)> NewRsaKeyAsync(KeySpec spec = KeySpec.RSA_2048)
    {
        string arn = (await Kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = spec, KeyUsage = KeyUsageType.ENCRYPT_DECRYPT })).KeyMetadata.Arn;
        GetPublicKeyResponse publicKey = await Kms.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = arn });
        return (arn, PemEncoding.WriteString("PUBLIC KEY", publicKey.PublicKey.Span));
    }

    [Theory]
    [InlineData(EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1)]
    [InlineData(EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256)]
    public async Task It_wraps_with_the_public_key_alone_and_unwraps_through_KMS(EncryptionAlgorithmSpec algorithm)
    {
        (string arn, string pem) = await NewRsaKeyAsync();
        var recording = new RecordingKmsClient(new KeyServiceKeyringClient(Kms));
        byte[] plaintext = RandomNumberGenerator.GetBytes(1000);

        foreach (AlgorithmSuite suite in AlgorithmSuite.All.Where(s => !s.IsSigning))
        {
            var encryptor = new EnvelopeEncryptor(new EnvelopeEncryptorOptions { CommitmentPolicy = suite.IsCommitting ? CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT : CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT });
            int calls = recording.Requests.Count;
            byte[] message = encryptor.Encrypt(new EncryptInput { Plaintext = plaintext, Keyring = new AwsKmsRsaKeyring(arn, algorithm, pem), AlgorithmSuiteId = suite, EncryptionContext = s_context }).Ciphertext.ToArray();
            Assert.Equal(calls, recording.Requests.Count); // encrypting calls no KMS
            MessageHeaderInfo header = EnvelopeEncryptor.ParseHeader(message);
            Assert.Equal(("aws-kms-rsa", arn), (header.EncryptedDataKeys[0].KeyProviderId, Encoding.UTF8.GetString(header.EncryptedDataKeys[0].KeyProviderInfo.Span)));

            DecryptOutput opened = await encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, Keyring = new AwsKmsRsaKeyring(arn, algorithm, client: recording, grantTokens: ["t"]) });
            Assert.Equal(plaintext, opened.Plaintext.ToArray());
            DecryptRequest request = recording.Decrypts.Last();
            Assert.Equal((arn, algorithm, (IReadOnlyDictionary<string, string>?)null), (request.KeyId, request.EncryptionAlgorithm, request.EncryptionContext));
            Assert.Equal(["t"], request.GrantTokens);
        }

        // As a child of a multi-keyring it wraps the data key another keyring made.
        var aes = new RawAesKeyring("ns", "aes", RandomNumberGenerator.GetBytes(32));
        byte[] both = _encryptor.Encrypt(new EncryptInput { Plaintext = plaintext, Keyring = new MultiKeyring(aes, [new AwsKmsRsaKeyring(arn, algorithm, pem)]), AlgorithmSuiteId = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY }).Ciphertext.ToArray();
        Assert.Equal(plaintext, _encryptor.Decrypt(new DecryptInput { Ciphertext = both, Keyring = new AwsKmsRsaKeyring(arn, algorithm, client: new KeyServiceKeyringClient(Kms)) }).Plaintext.ToArray());
    }

    [Fact]
    public async Task The_encryption_context_is_bound_to_the_wrapped_key()
    {
        (string arn, string pem) = await NewRsaKeyAsync();
        var encrypting = new AwsKmsRsaKeyring(arn, EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256, pem);
        var materials = new EncryptionMaterials(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, s_context);
        await encrypting.OnEncryptAsync(materials);

        var decrypting = new AwsKmsRsaKeyring(arn, EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256, client: new KeyServiceKeyringClient(Kms));
        var other = new DecryptionMaterials(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, new Dictionary<string, string> { ["order"] = "43" });
        var refused = await Assert.ThrowsAsync<CannotUnwrapDataKeyException>(() => decrypting.OnDecryptAsync(other, materials.EncryptedDataKeys).AsTask());
        Assert.Equal("The encrypted data key was made for another encryption context.", Assert.Single(Assert.IsType<AggregateException>(refused.InnerException).InnerExceptions).Message);
        Assert.False(other.HasPlaintextDataKey);

        var same = new DecryptionMaterials(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, s_context);
        await decrypting.OnDecryptAsync(same, materials.EncryptedDataKeys);
        byte[] expected = new byte[32], actual = new byte[32];
        materials.CopyPlaintextDataKey(expected);
        same.CopyPlaintextDataKey(actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task It_refuses_signing_suites_missing_parts_aliases_small_keys_and_other_algorithms()
    {
        (string arn, string pem) = await NewRsaKeyAsync();
        var keyring = new AwsKmsRsaKeyring(arn, EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256, pem, new KeyServiceKeyringClient(Kms));
        await Assert.ThrowsAsync<MaterialProvidersException>(() => _encryptor.EncryptAsync(new EncryptInput { Plaintext = new byte[1], Keyring = keyring }).AsTask());
        await Assert.ThrowsAsync<MaterialProvidersException>(() => keyring.OnDecryptAsync(new DecryptionMaterials(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384, new EncryptionMaterials(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384, new Dictionary<string, string>()).EncryptionContext), []).AsTask());
        await Assert.ThrowsAsync<MaterialProvidersException>(() => new AwsKmsRsaKeyring(arn, EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256).OnEncryptAsync(new EncryptionMaterials(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, s_context)).AsTask());
        await Assert.ThrowsAsync<MaterialProvidersException>(() => new AwsKmsRsaKeyring(arn, EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256, pem).OnDecryptAsync(new DecryptionMaterials(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, s_context), []).AsTask());

        Assert.Throws<ArgumentException>(() => new AwsKmsRsaKeyring("alias/rsa", EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256, pem));
        Assert.Throws<ArgumentException>(() => new AwsKmsRsaKeyring("arn:aws:kms:us-east-1:111122223333:alias/rsa", EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256, pem));
        Assert.Throws<ArgumentException>(() => new AwsKmsRsaKeyring(arn, EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT, pem));
        Assert.Throws<ArgumentException>(() => new AwsKmsRsaKeyring(arn, EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256, "not a key"));
        using RSA small = RSA.Create(1024);
        Assert.Contains("1024 bits", Assert.Throws<ArgumentException>(() => new AwsKmsRsaKeyring(arn, EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256, small.ExportSubjectPublicKeyInfoPem())).Message, StringComparison.Ordinal);
    }
}
