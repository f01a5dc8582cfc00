using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Vaultlib.Envelope;
using Vaultlib.Keys;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Envelope.Keyrings;

/// <summary>
/// The raw and AWS KMS ECDH keyrings: every schema on every curve, the wire layout recomputed independently (provider
/// info, fixed info, SP 800-108 with HMAC-SHA384, commitment key), and messages exchanged between raw and KMS parties.
/// </summary>
public sealed class EcdhKeyringTests : IDisposable
{
    private static readonly Dictionary<string, string> s_context = new() { ["order"] = "42", ["ünï"] = "😀" };
    private readonly VaultlibHost _host = new(timeProvider: TestData.NewClock());
    private readonly EnvelopeEncryptor _encryptor = new(new EnvelopeEncryptorOptions { CommitmentPolicy = CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT });

    public void Dispose() => _host.Dispose();

    public static TheoryData<EcdhCurveSpec> Curves => new() { EcdhCurveSpec.ECC_NIST_P256, EcdhCurveSpec.ECC_NIST_P384, EcdhCurveSpec.ECC_NIST_P521 };

    private static ECCurve NamedCurve(EcdhCurveSpec spec) => spec switch
    {
        EcdhCurveSpec.ECC_NIST_P256 => ECCurve.NamedCurves.nistP256,
        EcdhCurveSpec.ECC_NIST_P384 => ECCurve.NamedCurves.nistP384,
        _ => ECCurve.NamedCurves.nistP521,
    };

    private byte[] Encrypt(IKeyring keyring, byte[] plaintext, AlgorithmSuite? suite = null) =>
        _encryptor.Encrypt(new EncryptInput { Plaintext = plaintext, Keyring = keyring, EncryptionContext = s_context, AlgorithmSuiteId = suite }).Ciphertext.ToArray();

    private byte[] Decrypt(IKeyring keyring, byte[] message) => _encryptor.Decrypt(new DecryptInput { Ciphertext = message, Keyring = keyring }).Plaintext.ToArray();

    [Theory]
    [MemberData(nameof(Curves))]
    public void Every_raw_schema_on_every_curve(EcdhCurveSpec curve)
    {
        using ECDiffieHellman sender = ECDiffieHellman.Create(NamedCurve(curve)), recipient = ECDiffieHellman.Create(NamedCurve(curve));
        using RawEcdhKeyring stat = RawEcdhKeyring.RawPrivateKeyToStaticPublicKey(curve, sender.ExportPkcs8PrivateKeyPem(), recipient.ExportSubjectPublicKeyInfo());
        using RawEcdhKeyring ephemeral = RawEcdhKeyring.EphemeralPrivateKeyToStaticPublicKey(curve, recipient.ExportSubjectPublicKeyInfo());
        using RawEcdhKeyring discovery = RawEcdhKeyring.PublicKeyDiscovery(curve, recipient.ExportPkcs8PrivateKeyPem());
        byte[] plaintext = RandomNumberGenerator.GetBytes(700);

        foreach (AlgorithmSuite suite in AlgorithmSuite.All.Where(s => s.IsCommitting))
        {
            byte[] fromStatic = Encrypt(stat, plaintext, suite);
            Assert.Equal(plaintext, Decrypt(stat, fromStatic));
            Assert.Equal(plaintext, Decrypt(discovery, fromStatic));
            byte[] fromEphemeral = Encrypt(ephemeral, plaintext, suite);
            Assert.Equal(plaintext, Decrypt(discovery, fromEphemeral));
            Assert.Throws<CannotUnwrapDataKeyException>(() => Decrypt(stat, fromEphemeral)); // another sender key
        }

        Assert.Throws<MaterialProvidersException>(() => Encrypt(discovery, plaintext));
        byte[] message = Encrypt(ephemeral, plaintext);
        Assert.Throws<MaterialProvidersException>(() => Decrypt(ephemeral, message));
        using ECDiffieHellman stranger = ECDiffieHellman.Create(NamedCurve(curve));
        using RawEcdhKeyring other = RawEcdhKeyring.PublicKeyDiscovery(curve, stranger.ExportPkcs8PrivateKeyPem());
        Assert.Contains("0 were for its keys", Assert.Throws<CannotUnwrapDataKeyException>(() => Decrypt(other, message)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(EcdhCurveSpec.ECC_NIST_P256, "p256", 75)]
    [InlineData(EcdhCurveSpec.ECC_NIST_P384, "p384", 107)]
    [InlineData(EcdhCurveSpec.ECC_NIST_P521, "p521", 143)]
    public async Task The_wire_layout_matches_the_specification_recomputed_independently(EcdhCurveSpec curve, string curveName, int providerInfoLength)
    {
        using ECDiffieHellman sender = ECDiffieHellman.Create(NamedCurve(curve)), recipient = ECDiffieHellman.Create(NamedCurve(curve));
        using RawEcdhKeyring keyring = RawEcdhKeyring.RawPrivateKeyToStaticPublicKey(curve, sender.ExportPkcs8PrivateKeyPem(), recipient.ExportSubjectPublicKeyInfo());
        var materials = new EncryptionMaterials(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, s_context);
        await keyring.OnEncryptAsync(materials);
        await keyring.OnEncryptAsync(materials); // a second copy of the same data key
        EncryptedDataKey edk = materials.EncryptedDataKeys[0];

        byte[] senderCompressed = Compressed(sender), recipientCompressed = Compressed(recipient);
        int keyLength = senderCompressed.Length;
        Assert.Equal("raw-ecdh", edk.KeyProviderId);
        Assert.Equal(providerInfoLength, edk.KeyProviderInfo.Length);
        Assert.Equal([0x01, 0, 0, 0, (byte)keyLength, .. recipientCompressed, 0, 0, 0, (byte)keyLength, .. senderCompressed], edk.KeyProviderInfo.ToArray());
        Assert.Equal(32 + 32 + 32 + 16, edk.Ciphertext.Length);
        Assert.False(edk.Ciphertext.Span[..32].SequenceEqual(materials.EncryptedDataKeys[1].Ciphertext.Span[..32]), "every wrap draws a fresh salt");

        // FixedInfo: "ecdh-key-derivation" 0 curve 0 "HMAC_SHA384" 0 sender recipient 0 0x01 0 context.
        byte[] fixedInfo = [.. "ecdh-key-derivation\0"u8, .. Encoding.ASCII.GetBytes(curveName), 0, .. "HMAC_SHA384\0"u8, .. senderCompressed, .. recipientCompressed, 0, 1, 0, .. SerializedContext(s_context)];
        byte[] secret = sender.DeriveRawSecretAgreement(recipient.PublicKey);
        byte[] salt = edk.Ciphertext[..32].ToArray();
        byte[] derived = CounterModeHmacSha384(secret, fixedInfo, salt, 64);
        Assert.Equal(derived[..32], edk.Ciphertext[32..64].ToArray());
        byte[] dataKey = new byte[32], expected = new byte[32];
        using (var gcm = new AesGcm(derived[32..], 16))
        {
            gcm.Decrypt(new byte[12], edk.Ciphertext.Span[64..96], edk.Ciphertext.Span[96..], dataKey, fixedInfo);
        }

        materials.CopyPlaintextDataKey(expected);
        Assert.Equal(expected, dataKey);
    }

    [Fact]
    public async Task Another_context_fails_the_commitment_check_and_tampering_the_tag()
    {
        using ECDiffieHellman sender = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256), recipient = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using RawEcdhKeyring keyring = RawEcdhKeyring.RawPrivateKeyToStaticPublicKey(EcdhCurveSpec.ECC_NIST_P256, sender.ExportPkcs8PrivateKeyPem(), recipient.ExportSubjectPublicKeyInfo());
        var materials = new EncryptionMaterials(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, s_context);
        await keyring.OnEncryptAsync(materials);
        EncryptedDataKey edk = materials.EncryptedDataKeys[0];

        var other = new DecryptionMaterials(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, new Dictionary<string, string> { ["order"] = "43" });
        var refused = await Assert.ThrowsAsync<CannotUnwrapDataKeyException>(() => keyring.OnDecryptAsync(other, [edk]).AsTask());
        Assert.Contains("commitment keys do not match", Assert.Single(Assert.IsType<AggregateException>(refused.InnerException).InnerExceptions).Message, StringComparison.Ordinal);

        byte[] tampered = edk.Ciphertext.ToArray();
        tampered[^1] ^= 1;
        var same = new DecryptionMaterials(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, s_context);
        await Assert.ThrowsAsync<CannotUnwrapDataKeyException>(() => keyring.OnDecryptAsync(same, [edk with { Ciphertext = tampered }]).AsTask());
        Assert.False(same.HasPlaintextDataKey);
        byte[] badInfo = edk.KeyProviderInfo.ToArray();
        badInfo[0] = 2; // another version: not this keyring's
        await Assert.ThrowsAsync<CannotUnwrapDataKeyException>(() => keyring.OnDecryptAsync(same, [edk with { KeyProviderInfo = badInfo }]).AsTask());

        var shortened = await Assert.ThrowsAsync<CannotUnwrapDataKeyException>(() => keyring.OnDecryptAsync(same, [edk with { Ciphertext = edk.Ciphertext[..^1] }]).AsTask());
        Assert.Contains("An ECDH encrypted data key is 111 bytes; a 32-byte data key makes 112.", shortened.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sender_key_that_is_not_a_point_of_the_curve_is_a_collected_failure()
    {
        using ECDiffieHellman recipient = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using RawEcdhKeyring ephemeral = RawEcdhKeyring.EphemeralPrivateKeyToStaticPublicKey(EcdhCurveSpec.ECC_NIST_P256, recipient.ExportSubjectPublicKeyInfo());
        using RawEcdhKeyring discovery = RawEcdhKeyring.PublicKeyDiscovery(EcdhCurveSpec.ECC_NIST_P256, recipient.ExportPkcs8PrivateKeyPem());
        var materials = new EncryptionMaterials(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, s_context);
        await ephemeral.OnEncryptAsync(materials);
        EncryptedDataKey edk = materials.EncryptedDataKeys[0];
        byte[] info = edk.KeyProviderInfo.ToArray();
        info.AsSpan(^33).Fill(0xFF); // x = 2^256 - 1 is no field element of P-256
        info[^33] = 0x02;

        var failed = await Assert.ThrowsAsync<CannotUnwrapDataKeyException>(() => discovery.OnDecryptAsync(
            new DecryptionMaterials(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, s_context), [edk with { KeyProviderInfo = info }]).AsTask());
        Assert.Contains("not a point of the curve", failed.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => RawEcdhKeyring.EphemeralPrivateKeyToStaticPublicKey((EcdhCurveSpec)9, recipient.ExportSubjectPublicKeyInfo()));
    }

    [Fact]
    public void Malformed_and_mismatched_keys_are_refused_at_construction()
    {
        using ECDiffieHellman p256 = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256), p384 = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP384);
        Assert.Throws<ArgumentException>(() => RawEcdhKeyring.EphemeralPrivateKeyToStaticPublicKey(EcdhCurveSpec.ECC_NIST_P256, p384.ExportSubjectPublicKeyInfo()));
        Assert.Throws<ArgumentException>(() => RawEcdhKeyring.EphemeralPrivateKeyToStaticPublicKey(EcdhCurveSpec.ECC_NIST_P256, [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => RawEcdhKeyring.EphemeralPrivateKeyToStaticPublicKey(EcdhCurveSpec.ECC_NIST_P256, [.. p256.ExportSubjectPublicKeyInfo(), 0]));
        Assert.Throws<ArgumentException>(() => RawEcdhKeyring.PublicKeyDiscovery(EcdhCurveSpec.ECC_NIST_P256, p384.ExportPkcs8PrivateKeyPem()));
        ArgumentException notPem = Assert.Throws<ArgumentException>(() => RawEcdhKeyring.PublicKeyDiscovery(EcdhCurveSpec.ECC_NIST_P256, "not a key"));
        Assert.Equal("recipientPrivateKeyPem", notPem.ParamName);
        Assert.StartsWith("The private key is not a PEM-encoded PKCS #8 EC private key.", notPem.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => RawEcdhKeyring.PublicKeyDiscovery(EcdhCurveSpec.ECC_NIST_P256, null!));
        Assert.Throws<ArgumentException>(() => RawEcdhKeyring.RawPrivateKeyToStaticPublicKey(EcdhCurveSpec.ECC_NIST_P256, p256.ExportPkcs8PrivateKeyPem(), p384.ExportSubjectPublicKeyInfo()));
        Assert.Contains("SM2", Assert.Throws<ArgumentException>(() => RawEcdhKeyring.EphemeralPrivateKeyToStaticPublicKey(EcdhCurveSpec.SM2, p256.ExportSubjectPublicKeyInfo())).Message, StringComparison.Ordinal);
        using RSA rsa = RSA.Create(2048);
        Assert.Throws<ArgumentException>(() => RawEcdhKeyring.EphemeralPrivateKeyToStaticPublicKey(EcdhCurveSpec.ECC_NIST_P256, rsa.ExportSubjectPublicKeyInfo()));
    }

    [Fact]
    public async Task KMS_and_raw_parties_exchange_messages_and_the_KMS_key_never_leaves_KMS()
    {
        KeyService kms = _host.Keys;
        var client = new RecordingKmsClient(new KeyServiceKeyringClient(kms));
        string senderKey = (await kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.ECC_NIST_P256, KeyUsage = KeyUsageType.KEY_AGREEMENT })).KeyMetadata.Arn;
        string recipientKey = (await kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.ECC_NIST_P256, KeyUsage = KeyUsageType.KEY_AGREEMENT })).KeyMetadata.Arn;
        byte[] recipientKmsPublic = (await kms.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = recipientKey })).PublicKey.ToArray();
        using ECDiffieHellman rawRecipient = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        byte[] plaintext = RandomNumberGenerator.GetBytes(500);

        // A KMS sender to a raw recipient: the recipient's raw discovery keyring reads aws-kms-ecdh keys.
        AwsKmsEcdhKeyring kmsSender = await AwsKmsEcdhKeyring.KmsPrivateKeyToStaticPublicKeyAsync(client, EcdhCurveSpec.ECC_NIST_P256, senderKey, rawRecipient.ExportSubjectPublicKeyInfo(), grantTokens: ["g"]);
        byte[] toRaw = Encrypt(kmsSender, plaintext);
        Assert.Equal("aws-kms-ecdh", EnvelopeEncryptor.ParseHeader(toRaw).EncryptedDataKeys[0].KeyProviderId);
        using (RawEcdhKeyring rawDiscovery = RawEcdhKeyring.PublicKeyDiscovery(EcdhCurveSpec.ECC_NIST_P256, rawRecipient.ExportPkcs8PrivateKeyPem()))
        {
            Assert.Equal(plaintext, Decrypt(rawDiscovery, toRaw));
        }

        Assert.Equal(plaintext, Decrypt(kmsSender, toRaw));
        Assert.All(client.Requests.OfType<DeriveSharedSecretRequest>(), r => Assert.Equal((senderKey, "g"), (r.KeyId, r.GrantTokens!.Single())));
        Assert.Single(client.Requests.OfType<GetPublicKeyRequest>());

        // A raw ephemeral sender to a KMS recipient, read by the KMS public key discovery keyring.
        using RawEcdhKeyring ephemeral = RawEcdhKeyring.EphemeralPrivateKeyToStaticPublicKey(EcdhCurveSpec.ECC_NIST_P256, recipientKmsPublic);
        byte[] toKms = Encrypt(ephemeral, plaintext);
        AwsKmsEcdhKeyring kmsRecipient = await AwsKmsEcdhKeyring.KmsPublicKeyDiscoveryAsync(client, EcdhCurveSpec.ECC_NIST_P256, recipientKey);
        Assert.Equal(plaintext, Decrypt(kmsRecipient, toKms));
        Assert.Throws<MaterialProvidersException>(() => Encrypt(kmsRecipient, plaintext));
        Assert.Throws<CannotUnwrapDataKeyException>(() => Decrypt(kmsRecipient, toRaw));

        string signingKey = (await kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.ECC_NIST_P256, KeyUsage = KeyUsageType.SIGN_VERIFY })).KeyMetadata.Arn;
        await Assert.ThrowsAsync<ArgumentException>(() => AwsKmsEcdhKeyring.KmsPublicKeyDiscoveryAsync(client, EcdhCurveSpec.ECC_NIST_P256, signingKey));
        await Assert.ThrowsAsync<ArgumentException>(() => AwsKmsEcdhKeyring.KmsPublicKeyDiscoveryAsync(client, EcdhCurveSpec.ECC_NIST_P384, recipientKey));
    }

    private static byte[] Compressed(ECDiffieHellman key)
    {
        ECParameters p = key.ExportParameters(false);
        return [(byte)(2 | (p.Q.Y![^1] & 1)), .. p.Q.X!];
    }

    /// <summary>The message header's context encoding: count, then each pair's lengths and bytes, sorted by key bytes.</summary>
    private static byte[] SerializedContext(Dictionary<string, string> context)
    {
        var bytes = new List<byte>();
        bytes.AddRange([(byte)(context.Count >> 8), (byte)context.Count]);
        foreach ((byte[] key, byte[] value) in context.Select(p => (Encoding.UTF8.GetBytes(p.Key), Encoding.UTF8.GetBytes(p.Value))).OrderBy(p => p.Item1, ByteOrder.Instance))
        {
            bytes.AddRange([(byte)(key.Length >> 8), (byte)key.Length, .. key, (byte)(value.Length >> 8), (byte)value.Length, .. value]);
        }

        return [.. bytes];
    }

    /// <summary>NIST SP 800-108 counter mode, written out: HMAC(K, i ‖ label ‖ 0x00 ‖ context ‖ L) for i = 1, 2, ….</summary>
    private static byte[] CounterModeHmacSha384(byte[] key, byte[] label, byte[] context, int length)
    {
        var output = new List<byte>();
        byte[] bits = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bits, length * 8);
        for (int i = 1; output.Count < length; i++)
        {
            byte[] counter = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(counter, i);
            byte[] block = [.. counter, .. label, 0, .. context, .. bits];
            output.AddRange(HMACSHA384.HashData(key, block));
        }

        return [.. output.Take(length)];
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static ByteOrder Instance { get; } = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
