using System.Security.Cryptography;
using Vaultlib.Envelope;
using Vaultlib.Keys;

namespace Vaultlib.Tests.Envelope;

/// <summary>Keyrings for the envelope tests: raw AES 128/256, raw RSA (OAEP-SHA256), a KMS keyring over an in-memory key service, and a multi-keyring.</summary>
public sealed class EnvelopeTestKeys : IDisposable
{
    private static readonly Lazy<RSA> s_rsa = new(() => RSA.Create(2048));

    public EnvelopeTestKeys()
    {
        Kms = new InMemoryKeyService();
        KmsKeyId = Kms.CreateKeyAsync(new CreateKeyRequest { Description = "envelope" }).GetAwaiter().GetResult().KeyMetadata.Arn;
        SecondKmsKeyId = Kms.CreateKeyAsync(new CreateKeyRequest { Description = "envelope 2" }).GetAwaiter().GetResult().KeyMetadata.Arn;
        Aes256 = new RawAesKeyring("vaultlib-tests", "aes-256", RandomNumberGenerator.GetBytes(32));
        Aes128 = new RawAesKeyring("vaultlib-tests", "aes-128", RandomNumberGenerator.GetBytes(16));
        Rsa = NewRsaKeyring();
        KmsKeyring = new KmsKeyring(Kms, KmsKeyId, [SecondKmsKeyId]);
        Multi = new MultiKeyring(Aes256, [Rsa, KmsKeyring]);
    }

    public InMemoryKeyService Kms { get; }

    public string KmsKeyId { get; }

    public string SecondKmsKeyId { get; }

    public RawAesKeyring Aes256 { get; }

    public RawAesKeyring Aes128 { get; }

    public RawRsaKeyring Rsa { get; }

    public KmsKeyring KmsKeyring { get; }

    public MultiKeyring Multi { get; }

    /// <summary>A message of the ECDSA P-384 signing suite under <see cref="Aes256"/>, in frames of 1,000 bytes.</summary>
    public byte[] SignedMessage(byte[] plaintext) =>
        new EnvelopeEncryptor().Encrypt(new EncryptInput
        {
            Plaintext = plaintext, Keyring = Aes256, FrameLength = 1000, AlgorithmSuiteId = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384,
        }).Ciphertext.ToArray();

    public IKeyring Choose(int choice) => (choice % 4) switch
    {
        0 => Aes256,
        1 => Rsa,
        2 => KmsKeyring,
        _ => Multi,
    };

    public static RawRsaKeyring NewRsaKeyring()
    {
        var publicKey = RSA.Create();
        publicKey.ImportSubjectPublicKeyInfo(s_rsa.Value.ExportSubjectPublicKeyInfo(), out _);
        var privateKey = RSA.Create();
        privateKey.ImportPkcs8PrivateKey(s_rsa.Value.ExportPkcs8PrivateKey(), out _);
        return new RawRsaKeyring("vaultlib-tests", "rsa-2048", RsaPaddingScheme.OAEP_SHA256_MGF1, publicKey, privateKey);
    }

    public void Dispose()
    {
        Aes256.Dispose();
        Aes128.Dispose();
        Rsa.Dispose();
        Kms.Dispose();
    }
}
