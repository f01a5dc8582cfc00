using System.Buffers.Binary;
using System.Security.Cryptography;
using Vaultlib.Envelope;
using Vaultlib.Envelope.Format;
using Vaultlib.Keys;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Envelope;

public sealed class EnvelopeEncryptorTests : IClassFixture<EnvelopeTestKeys>
{
    private readonly EnvelopeTestKeys _keys;
    private readonly EnvelopeEncryptor _encryptor = new();

    public EnvelopeEncryptorTests(EnvelopeTestKeys keys) => _keys = keys;

    private async Task<byte[]> Encrypt(byte[] plaintext, IKeyring? keyring = null, AlgorithmSuite? suite = null, int frameLength = 4096, Dictionary<string, string>? context = null, EnvelopeEncryptor? encryptor = null) =>
        (await (encryptor ?? _encryptor).EncryptAsync(new EncryptInput { Plaintext = plaintext, Keyring = keyring ?? _keys.Aes256, AlgorithmSuiteId = suite, FrameLength = frameLength, EncryptionContext = context })).Ciphertext.ToArray();

    private static MessageHeader Header(byte[] message)
    {
        Assert.True(MessageHeader.TryParse(message, null, out MessageHeader? header));
        return header!;
    }

    [Fact]
    public async Task Defaults_are_suite_0x0578_frames_of_4096_and_the_strictest_commitment_policy()
    {
        EncryptOutput output = await _encryptor.EncryptAsync(new EncryptInput { Plaintext = new byte[10_000], Keyring = _keys.Aes256 });
        MessageHeader header = Header(output.Ciphertext.ToArray());

        Assert.Equal(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384, output.AlgorithmSuiteId);
        Assert.Equal(0x0578, header.Suite.Id);
        Assert.Equal(2, header.Version);
        Assert.Equal(4096, header.FrameLength);
        Assert.Equal(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT, _encryptor.Options.CommitmentPolicy);
        string publicKey = output.EncryptionContext[DefaultCryptoMaterialsManager.PublicKeyContextKey];
        Assert.Equal(68, publicKey.Length); // base64 of a 49-byte compressed P-384 point
    }

    [Theory]
    [InlineData(0, 0, 0)]         // empty: one final frame of 0 bytes
    [InlineData(100, 0, 100)]     // shorter than a frame: one final frame
    [InlineData(8192, 1, 4096)]   // exact multiple: a full final frame
    [InlineData(8193, 2, 1)]
    public async Task Frames_are_laid_out_as_the_format_says(int length, int regularFrames, int finalLength)
    {
        byte[] message = await Encrypt(new byte[length], suite: AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY);
        MessageHeader header = Header(message);
        int offset = header.TotalLength;
        for (uint seq = 1; seq <= regularFrames; seq++)
        {
            Assert.True(BodyFormat.TryReadFrame(message, offset, header, seq, out FrameLayout frame));
            Assert.Equal(FrameKind.Regular, frame.Kind);
            offset = frame.End;
        }

        Assert.True(BodyFormat.TryReadFrame(message, offset, header, (uint)regularFrames + 1, out FrameLayout final));
        Assert.Equal(FrameKind.Final, final.Kind);
        Assert.Equal(finalLength, final.CiphertextLength);
        Assert.Equal(message.Length, final.End);
    }

    [Fact]
    public async Task Reserved_context_keys_and_bad_members_are_ValidationException()
    {
        var reserved = await Assert.ThrowsAsync<Vaultlib.Envelope.ValidationException>(() => Encrypt([1], context: new() { ["aws-crypto-mine"] = "x" }));
        Assert.Equal("EncryptionContext", reserved.MemberName);
        await Assert.ThrowsAsync<Vaultlib.Envelope.ValidationException>(() => Encrypt([1], frameLength: 0));
        await Assert.ThrowsAsync<Vaultlib.Envelope.ValidationException>(async () => await _encryptor.EncryptAsync(new EncryptInput { Plaintext = new byte[1] }));
        await Assert.ThrowsAsync<Vaultlib.Envelope.ValidationException>(async () => await _encryptor.EncryptAsync(new EncryptInput { Plaintext = new byte[1], Keyring = _keys.Aes256, MaterialsManager = new DefaultCryptoMaterialsManager(_keys.Aes256) }));
    }

    [Fact]
    public async Task The_commitment_policy_is_enforced_on_encrypt_and_decrypt()
    {
        await Assert.ThrowsAsync<CommitmentPolicyException>(() => Encrypt([1], suite: AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256));
        var legacy = new EnvelopeEncryptor(new EnvelopeEncryptorOptions { CommitmentPolicy = CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT });
        await Assert.ThrowsAsync<CommitmentPolicyException>(() => Encrypt([1], suite: AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, encryptor: legacy));
        byte[] nonCommitting = await Encrypt([1, 2], encryptor: legacy);
        Assert.Equal(0x0378, Header(nonCommitting).Suite.Id);

        var keyring = new CountingKeyring(_keys.Aes256);
        await Assert.ThrowsAsync<CommitmentPolicyException>(async () => await _encryptor.DecryptAsync(new DecryptInput { Ciphertext = nonCommitting, Keyring = keyring }));
        Assert.Equal(0, keyring.Decrypts); // refused before any key is unwrapped
        Assert.Equal([1, 2], (await legacy.DecryptAsync(new DecryptInput { Ciphertext = nonCommitting, Keyring = _keys.Aes256 })).Plaintext.ToArray());
    }

    [Fact]
    public async Task The_maximum_of_encrypted_data_keys_is_enforced_before_any_unwrap()
    {
        var limited = new EnvelopeEncryptor(new EnvelopeEncryptorOptions { MaxEncryptedDataKeys = 2 });
        var three = new MultiKeyring(_keys.Aes256, [_keys.Aes128, _keys.Rsa]);
        await Assert.ThrowsAsync<MaxEncryptedDataKeysExceededException>(() => Encrypt([1], keyring: three, encryptor: limited));

        byte[] message = await Encrypt([1], keyring: three);
        Assert.Equal(3, Header(message).EncryptedDataKeys.Count);
        var keyring = new CountingKeyring(_keys.Aes256);
        await Assert.ThrowsAsync<MaxEncryptedDataKeysExceededException>(async () => await limited.DecryptAsync(new DecryptInput { Ciphertext = message, Keyring = keyring }));
        Assert.Equal(0, keyring.Decrypts);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EnvelopeEncryptor(new EnvelopeEncryptorOptions { MaxEncryptedDataKeys = 0 }));
    }

    [Fact]
    public async Task Wrong_keys_are_CannotUnwrapDataKeyException()
    {
        byte[] message = await Encrypt([1, 2, 3]);
        using var other = new RawAesKeyring("vaultlib-tests", "aes-256", RandomNumberGenerator.GetBytes(32));
        var ex = await Assert.ThrowsAsync<CannotUnwrapDataKeyException>(async () => await _encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, Keyring = other }));
        Assert.Contains("vaultlib-tests", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<CannotUnwrapDataKeyException>(async () => await _encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, Keyring = _keys.Rsa }));
    }

    [Fact]
    public async Task Headers_claiming_more_than_the_message_holds_are_refused_without_trusting_the_lengths()
    {
        byte[] message = await Encrypt(new byte[100], context: new() { ["k"] = "v" });

        // The context length claims 65535 bytes.
        byte[] hugeContext = (byte[])message.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(hugeContext.AsSpan(1 + 2 + 32), ushort.MaxValue);
        var truncated = await Assert.ThrowsAsync<BadCiphertextException>(() => Decrypt(hugeContext));
        Assert.Contains("truncated", truncated.Message, StringComparison.Ordinal);

        // 65535 encrypted data keys in a message of a few hundred bytes.
        int edkCountOffset = 1 + 2 + 32 + 2 + BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(35));
        byte[] manyKeys = (byte[])message.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(manyKeys.AsSpan(edkCountOffset), ushort.MaxValue);
        await Assert.ThrowsAsync<BadCiphertextException>(() => Decrypt(manyKeys));

        // An unknown suite, an unknown version, nothing at all.
        byte[] unknownSuite = (byte[])message.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(unknownSuite.AsSpan(1), 0x0999);
        Assert.Contains("0x0999", (await Assert.ThrowsAsync<BadCiphertextException>(() => Decrypt(unknownSuite))).Message, StringComparison.Ordinal);
        byte[] unknownVersion = (byte[])message.Clone();
        unknownVersion[0] = 3;
        await Assert.ThrowsAsync<BadCiphertextException>(() => Decrypt(unknownVersion));
        await Assert.ThrowsAsync<BadCiphertextException>(() => Decrypt([]));
    }

    [Fact]
    public async Task A_final_frame_longer_than_the_frame_length_or_trailing_bytes_are_refused()
    {
        byte[] message = await Encrypt(new byte[10], suite: AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, frameLength: 64);
        MessageHeader header = Header(message);
        byte[] longFinal = (byte[])message.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(longFinal.AsSpan(header.TotalLength + 8 + 12), 65);
        Assert.Contains("more than the frame length", (await Assert.ThrowsAsync<BadCiphertextException>(() => Decrypt(longFinal))).Message, StringComparison.Ordinal);
        Assert.Contains("followed by", (await Assert.ThrowsAsync<BadCiphertextException>(() => Decrypt([.. message, 0]))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streaming_releases_only_authenticated_frames_and_holds_a_signed_messages_final_frame()
    {
        byte[] plaintext = RandomNumberGenerator.GetBytes(1000);
        byte[] signed = await Encrypt(plaintext, frameLength: 100); // 0x0578: 9 regular frames and a final one
        using var output = new MemoryStream();
        await Assert.ThrowsAsync<BadCiphertextException>(() => _encryptor.DecryptStreamAsync(new MemoryStream(signed[..^1]), output, new DecryptStreamInput { Keyring = _keys.Aes256 }));
        Assert.Equal(plaintext[..900], output.ToArray());

        byte[] unsigned = await Encrypt(plaintext, suite: AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, frameLength: 100);
        unsigned[^20] ^= 1; // inside the final frame
        using var partial = new MemoryStream();
        await Assert.ThrowsAsync<BadCiphertextException>(() => _encryptor.DecryptStreamAsync(new MemoryStream(unsigned), partial, new DecryptStreamInput { Keyring = _keys.Aes256 }));
        Assert.Equal(plaintext[..900], partial.ToArray());
    }

    [Fact]
    public async Task Streaming_encrypt_checks_a_declared_length()
    {
        using var sink = new MemoryStream();
        var ex = await Assert.ThrowsAsync<Vaultlib.Envelope.ValidationException>(() => _encryptor.EncryptStreamAsync(new NonSeekableStream(new byte[50]), sink, new EncryptStreamInput { Keyring = _keys.Aes256, PlaintextLength = 60 }));
        Assert.Equal("PlaintextLength", ex.MemberName);
    }

    [Fact]
    public async Task Streams_larger_than_a_frame_round_trip_through_non_seekable_streams()
    {
        byte[] plaintext = RandomNumberGenerator.GetBytes((3 * 1024 * 1024) + 17);
        using var sealedStream = new MemoryStream();
        EncryptStreamOutput sealedOutput = await _encryptor.EncryptStreamAsync(new NonSeekableStream(plaintext), sealedStream, new EncryptStreamInput { Keyring = _keys.Aes256, FrameLength = 65536 });
        Assert.Equal(plaintext.Length, sealedOutput.PlaintextLength);
        using var opened = new MemoryStream();
        DecryptStreamOutput openedOutput = await _encryptor.DecryptStreamAsync(new NonSeekableStream(sealedStream.ToArray()), opened, new DecryptStreamInput { Keyring = _keys.Aes256 });
        Assert.Equal(plaintext, opened.ToArray());
        Assert.Equal(sealedOutput.AlgorithmSuiteId, openedOutput.AlgorithmSuiteId);
    }

    [Fact]
    public async Task Required_context_is_authenticated_but_not_stored()
    {
        byte[] message = await Encrypt([9], context: new() { ["tenant"] = "a" });
        DecryptOutput output = await _encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, Keyring = _keys.Aes256, EncryptionContext = new Dictionary<string, string> { ["tenant"] = "a" } });
        Assert.Equal("a", output.EncryptionContext["tenant"]);
        await Assert.ThrowsAsync<BadCiphertextException>(async () => await _encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, Keyring = _keys.Aes256, EncryptionContext = new Dictionary<string, string> { ["tenant"] = "b" } }));
        // A pair the message does not carry becomes required context, bound by the raw AES keyring's AAD: the data key no longer unwraps.
        await Assert.ThrowsAsync<CannotUnwrapDataKeyException>(async () => await _encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, Keyring = _keys.Aes256, EncryptionContext = new Dictionary<string, string> { ["extra"] = "x" } }));
    }

    [Fact]
    public async Task The_KMS_keyring_wraps_with_every_key_and_passes_the_context_to_KMS()
    {
        byte[] plaintext = RandomNumberGenerator.GetBytes(5000);
        var context = new Dictionary<string, string> { ["file"] = "report.pdf" };
        byte[] message = await Encrypt(plaintext, keyring: _keys.KmsKeyring, context: context);
        MessageHeader header = Header(message);

        Assert.Equal(2, header.EncryptedDataKeys.Count);
        Assert.All(header.EncryptedDataKeys, k => Assert.Equal("aws-kms", k.KeyProviderId));
        Assert.Equal([_keys.KmsKeyId, _keys.SecondKmsKeyId], header.EncryptedDataKeys.Select(k => System.Text.Encoding.UTF8.GetString(k.KeyProviderInfo.Span)));
        // KMS bound the message's context (with the public key) to each encrypted data key.
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => _keys.Kms.DecryptAsync(new DecryptRequest { CiphertextBlob = header.EncryptedDataKeys[0].Ciphertext }));
        DecryptResponse unwrapped = await _keys.Kms.DecryptAsync(new DecryptRequest { CiphertextBlob = header.EncryptedDataKeys[0].Ciphertext, EncryptionContext = header.EncryptionContext });
        Assert.Equal(32, unwrapped.Plaintext.Length);

        Assert.Equal(plaintext, (await _encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, Keyring = _keys.KmsKeyring })).Plaintext.ToArray());
        // A keyring of only the second key decrypts too, and the output says it was the second key's copy; a keyring of an unrelated key cannot.
        DecryptOutput bySecond = await _encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, Keyring = new MultiKeyring(null, [new KmsKeyring(_keys.Kms, null, [_keys.SecondKmsKeyId])]) });
        Assert.Equal(plaintext, bySecond.Plaintext.ToArray());
        Assert.Equal(_keys.SecondKmsKeyId, System.Text.Encoding.UTF8.GetString(bySecond.DecryptedDataKey!.KeyProviderInfo.Span));
        Assert.Equal(header.MessageId, bySecond.Header!.MessageId.ToArray());
        string unrelated = (await _keys.Kms.CreateKeyAsync()).Arn;
        await Assert.ThrowsAsync<CannotUnwrapDataKeyException>(async () => await _encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, Keyring = new KmsKeyring(_keys.Kms, unrelated) }));
    }

    [Fact]
    public async Task A_disabled_KMS_key_cannot_unwrap_and_another_key_still_can()
    {
        using var kms = new InMemoryKeyService();
        string first = (await kms.CreateKeyAsync()).Arn;
        string second = (await kms.CreateKeyAsync()).Arn;
        var keyring = new KmsKeyring(kms, first, [second]);
        byte[] message = await Encrypt([1, 2, 3], keyring: keyring);

        await kms.DisableKeyAsync(new DisableKeyRequest { KeyId = first });
        Assert.Equal([1, 2, 3], (await _encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, Keyring = keyring })).Plaintext.ToArray());
        await kms.DisableKeyAsync(new DisableKeyRequest { KeyId = second });
        await Assert.ThrowsAsync<CannotUnwrapDataKeyException>(async () => await _encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, Keyring = keyring }));
        await Assert.ThrowsAsync<DisabledException>(() => Encrypt([1], keyring: keyring));
    }

    [Fact]
    public async Task Buffer_writer_overloads_write_exactly_the_message_and_release_nothing_on_failure()
    {
        byte[] plaintext = RandomNumberGenerator.GetBytes(3000);
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        AlgorithmSuite unsigned = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY; // fixed length (signatures vary by a byte or two)
        EncryptOutput output = await _encryptor.EncryptAsync(new EncryptInput { Plaintext = plaintext, Keyring = _keys.Aes256, AlgorithmSuiteId = unsigned }, writer);
        Assert.True(output.Ciphertext.IsEmpty);
        byte[] message = writer.WrittenSpan.ToArray();
        Assert.Equal(Header(message).TotalLength + 4 + 4 + 12 + 4 + 3000 + 16, message.Length); // header, then one final frame

        var plain = new System.Buffers.ArrayBufferWriter<byte>();
        await _encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, Keyring = _keys.Aes256 }, plain);
        Assert.Equal(plaintext, plain.WrittenSpan.ToArray());

        // Reused for a second message: the writer grows once and is reused.
        writer.ResetWrittenCount();
        await _encryptor.EncryptAsync(new EncryptInput { Plaintext = plaintext, Keyring = _keys.Aes256, AlgorithmSuiteId = unsigned }, writer);
        Assert.Equal(message.Length, writer.WrittenCount);

        message[^30] ^= 1; // inside the final frame
        var failed = new System.Buffers.ArrayBufferWriter<byte>(8192);
        await Assert.ThrowsAsync<BadCiphertextException>(async () => await _encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, Keyring = _keys.Aes256 }, failed));
        Assert.Equal(0, failed.WrittenCount);
        Assert.All(failed.GetMemory(3000).ToArray().Take(3000), b => Assert.Equal(0, b)); // the decrypted frames were wiped
    }

    private async Task Decrypt(byte[] message) =>
        await _encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, Keyring = _keys.Aes256 });

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
