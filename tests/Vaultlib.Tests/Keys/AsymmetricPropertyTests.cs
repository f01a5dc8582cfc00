using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vaultlib.Keys;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Keys;

/// <summary>Sign/verify and MAC round trips over generated messages; any single-bit flip of message or signature fails.</summary>
[Properties(Arbitrary = [typeof(KmsArbitraries)], MaxTest = 100)]
public sealed class AsymmetricPropertyTests : IClassFixture<AsymmetricPropertyTests.Fixture>
{
    private readonly Fixture _keys;

    public AsymmetricPropertyTests(Fixture keys) => _keys = keys;

    private InMemoryKeyService Kms => _keys.Kms;

    private (string KeyId, SigningAlgorithmSpec Algorithm) Signer(int choice) => (choice % 4) switch
    {
        0 => (_keys.P256, SigningAlgorithmSpec.ECDSA_SHA_256),
        1 => (_keys.Secp256k1, SigningAlgorithmSpec.ECDSA_SHA_256),
        2 => (_keys.Rsa, SigningAlgorithmSpec.RSASSA_PSS_SHA_384),
        _ => (_keys.Ed25519, SigningAlgorithmSpec.ED25519_SHA_512),
    };

    private bool Verifies(string keyId, SigningAlgorithmSpec algorithm, byte[] message, byte[] signature)
    {
        try
        {
            return Kms.VerifyAsync(new VerifyRequest { KeyId = keyId, Message = message, Signature = signature, SigningAlgorithm = algorithm }).GetAwaiter().GetResult().SignatureValid;
        }
        catch (KMSInvalidSignatureException)
        {
            return false;
        }
    }

    private byte[] Sign(string keyId, SigningAlgorithmSpec algorithm, byte[] message) =>
        Kms.SignAsync(new SignRequest { KeyId = keyId, Message = message, SigningAlgorithm = algorithm }).GetAwaiter().GetResult().Signature.ToArray();

    [Property]
    public Property Sign_then_Verify_round_trips_and_any_bit_flip_fails(KmsPlaintext message, PositiveInt choice, PositiveInt bit)
    {
        (string keyId, SigningAlgorithmSpec algorithm) = Signer(choice.Get);
        byte[] signature = Sign(keyId, algorithm, message.Bytes);
        bool valid = Verifies(keyId, algorithm, message.Bytes, signature);

        byte[] flippedMessage = (byte[])message.Bytes.Clone();
        flippedMessage[bit.Get % flippedMessage.Length] ^= (byte)(1 << (bit.Get % 8));
        byte[] flippedSignature = (byte[])signature.Clone();
        int b = bit.Get % (signature.Length * 8);
        flippedSignature[b / 8] ^= (byte)(1 << (b % 8));

        return (valid && !Verifies(keyId, algorithm, flippedMessage, signature) && !Verifies(keyId, algorithm, message.Bytes, flippedSignature))
            .Label($"{algorithm}: valid {valid}, message bit, signature bit {b}");
    }

    [Property]
    public Property GenerateMac_then_VerifyMac_round_trips_and_any_bit_flip_fails(KmsPlaintext message, PositiveInt bit)
    {
        byte[] mac = Kms.GenerateMacAsync(new GenerateMacRequest { KeyId = _keys.Hmac, Message = message.Bytes, MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_384 }).GetAwaiter().GetResult().Mac.ToArray();
        bool MacVerifies(byte[] m, byte[] candidate)
        {
            try
            {
                return Kms.VerifyMacAsync(new VerifyMacRequest { KeyId = _keys.Hmac, Message = m, Mac = candidate, MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_384 }).GetAwaiter().GetResult().MacValid;
            }
            catch (KMSInvalidMacException)
            {
                return false;
            }
        }

        byte[] flippedMac = (byte[])mac.Clone();
        flippedMac[bit.Get % mac.Length] ^= (byte)(1 << (bit.Get % 8));
        byte[] flippedMessage = (byte[])message.Bytes.Clone();
        flippedMessage[bit.Get % flippedMessage.Length] ^= (byte)(1 << (bit.Get % 8));
        return (MacVerifies(message.Bytes, mac) && !MacVerifies(message.Bytes, flippedMac) && !MacVerifies(flippedMessage, mac)).ToProperty();
    }

    [Property]
    public Property A_DIGEST_of_the_wrong_length_is_ValidationException(PositiveInt length)
    {
        int n = (length.Get % 80) + 1;
        if (n == 32)
        {
            n = 33;
        }

        try
        {
            Kms.SignAsync(new SignRequest { KeyId = _keys.P256, Message = new byte[n], SigningAlgorithm = SigningAlgorithmSpec.ECDSA_SHA_256, MessageType = MessageType.DIGEST }).GetAwaiter().GetResult();
            return false.Label($"a {n}-byte digest was accepted");
        }
        catch (ValidationException ex)
        {
            return (ex.MemberName == "Message").ToProperty();
        }
    }

    public sealed class Fixture : IDisposable
    {
        public Fixture()
        {
            Kms = new InMemoryKeyService();
            P256 = Create(KeySpec.ECC_NIST_P256, KeyUsageType.SIGN_VERIFY);
            Secp256k1 = Create(KeySpec.ECC_SECG_P256K1, KeyUsageType.SIGN_VERIFY);
            Rsa = Create(KeySpec.RSA_2048, KeyUsageType.SIGN_VERIFY);
            Ed25519 = Create(KeySpec.ECC_NIST_EDWARDS25519, KeyUsageType.SIGN_VERIFY);
            Hmac = Create(KeySpec.HMAC_384, KeyUsageType.GENERATE_VERIFY_MAC);
        }

        public InMemoryKeyService Kms { get; }

        public string P256 { get; }

        public string Secp256k1 { get; }

        public string Rsa { get; }

        public string Ed25519 { get; }

        public string Hmac { get; }

        public void Dispose() => Kms.Dispose();

        private string Create(KeySpec spec, KeyUsageType usage) =>
            Kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = spec, KeyUsage = usage }).GetAwaiter().GetResult().KeyMetadata.KeyId;
    }
}
