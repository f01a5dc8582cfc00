using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vaultlib.Envelope;

namespace Vaultlib.Tests.Envelope;

/// <summary>
/// The synchronous twins give the asynchronous API's bytes for the same inputs and randomness; the wrapping streams
/// encrypt and decrypt under any write and read sizes; and the signed-message policies release plaintext as they say.
/// </summary>
[Properties(Arbitrary = [typeof(EnvelopeArbitraries)], MaxTest = 100)]
public sealed class EnvelopeStreamTests : IClassFixture<EnvelopeTestKeys>
{
    private readonly EnvelopeTestKeys _keys;

    public EnvelopeStreamTests(EnvelopeTestKeys keys) => _keys = keys;

    /// <summary>An encryptor whose message ids come from a seed, so two runs over the same inputs give the same bytes.</summary>
    private static EnvelopeEncryptor Seeded(AlgorithmSuite suite, int seed)
    {
        var random = new Random(seed);
        return new EnvelopeEncryptor(new EnvelopeEncryptorOptions
        {
            CommitmentPolicy = suite.IsCommitting ? CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT : CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT,
            RandomFill = random.NextBytes,
        });
    }

    private static readonly EnvelopeEncryptor s_decryptor = new(new EnvelopeEncryptorOptions { CommitmentPolicy = CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT });

    [Property]
    public Property Sync_and_async_one_shot_and_streaming_and_the_wrapping_stream_give_identical_bytes(EnvelopeCase c, PositiveInt seed, PositiveInt chunk)
    {
        // Signing suites make a fresh ECDSA key and a randomized signature per message; the rest is deterministic.
        AlgorithmSuite suite = c.Suite.IsSigning ? AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY : c.Suite;
        var keyring = new DeterministicKeyring(seed.Get);
        EncryptInput input = new() { Plaintext = c.Plaintext, Keyring = keyring, EncryptionContext = c.Context, AlgorithmSuiteId = suite, FrameLength = c.FrameLength };
        var streamInput = new EncryptStreamInput { Keyring = keyring, EncryptionContext = c.Context, AlgorithmSuiteId = suite, FrameLength = c.FrameLength };

        byte[] asyncOneShot = Seeded(suite, seed.Get).EncryptAsync(input).AsTask().GetAwaiter().GetResult().Ciphertext.ToArray();
        byte[] syncOneShot = Seeded(suite, seed.Get).Encrypt(input).Ciphertext.ToArray();
        using var asyncStreamed = new MemoryStream();
        Seeded(suite, seed.Get).EncryptStreamAsync(new MemoryStream(c.Plaintext), asyncStreamed, streamInput).GetAwaiter().GetResult();
        using var syncStreamed = new MemoryStream();
        Seeded(suite, seed.Get).EncryptStream(new MemoryStream(c.Plaintext), syncStreamed, streamInput);
        using var wrapped = new MemoryStream();
        using (EnvelopeEncryptingStream encrypting = Seeded(suite, seed.Get).CreateEncryptingStream(wrapped, streamInput, leaveOpen: true))
        {
            WriteInChunks(encrypting, c.Plaintext, chunk.Get);
        }

        bool identical = syncOneShot.AsSpan().SequenceEqual(asyncOneShot) && asyncStreamed.ToArray().AsSpan().SequenceEqual(asyncOneShot)
            && syncStreamed.ToArray().AsSpan().SequenceEqual(asyncOneShot) && wrapped.ToArray().AsSpan().SequenceEqual(asyncOneShot);
        byte[] decrypted = s_decryptor.Decrypt(new DecryptInput { Ciphertext = asyncOneShot, Keyring = keyring }).Plaintext.ToArray();
        return (identical && decrypted.AsSpan().SequenceEqual(c.Plaintext)).Label(c.ToString());
    }

    [Property]
    public Property The_wrapping_streams_round_trip_under_random_write_and_read_sizes(EnvelopeCase c, PositiveInt writeSize, PositiveInt readSize, bool asynchronous)
    {
        var encryptor = Seeded(c.Suite, 1);
        IKeyring keyring = _keys.Choose(c.KeyringChoice);
        using var sealedStream = new MemoryStream();
        var sizes = new Random(writeSize.Get ^ readSize.Get);
        EnvelopeEncryptingStream encrypting = encryptor.CreateEncryptingStream(sealedStream, new EncryptStreamInput
        {
            Keyring = keyring, EncryptionContext = c.Context, AlgorithmSuiteId = c.Suite, FrameLength = c.FrameLength, PlaintextLength = c.Plaintext.Length,
        }, leaveOpen: true);
        for (int offset = 0; offset < c.Plaintext.Length;)
        {
            int size = Math.Min(c.Plaintext.Length - offset, 1 + sizes.Next(Math.Max(1, writeSize.Get % 3000)));
            if (asynchronous)
            {
                encrypting.WriteAsync(c.Plaintext.AsMemory(offset, size)).AsTask().GetAwaiter().GetResult();
            }
            else
            {
                encrypting.Write(c.Plaintext, offset, size);
            }

            offset += size;
        }

        encrypting.Dispose();
        bool oneShotReads = s_decryptor.Decrypt(new DecryptInput { Ciphertext = sealedStream.ToArray(), Keyring = keyring }).Plaintext.Span.SequenceEqual(c.Plaintext);

        using EnvelopeDecryptingStream decrypting = s_decryptor.CreateDecryptingStream(new MemoryStream(sealedStream.ToArray()), new DecryptStreamInput { Keyring = keyring });
        var read = new List<byte>();
        byte[] buffer = new byte[1 + (readSize.Get % 5000)];
        while (true)
        {
            int size = 1 + sizes.Next(buffer.Length);
            int n = asynchronous ? decrypting.ReadAsync(buffer.AsMemory(0, size)).AsTask().GetAwaiter().GetResult() : decrypting.Read(buffer, 0, size);
            if (n == 0)
            {
                break;
            }

            read.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        bool contextKept = c.Context.All(p => decrypting.EncryptionContext![p.Key] == p.Value);
        return (oneShotReads && read.ToArray().AsSpan().SequenceEqual(c.Plaintext) && decrypting.IsComplete && decrypting.PlaintextLength == c.Plaintext.Length && contextKept).Label(c.ToString());
    }

    [Fact]
    public void A_signed_message_with_a_forged_signature_releases_nothing_when_held_until_verified_and_its_authentic_frames_otherwise()
    {
        var encryptor = new EnvelopeEncryptor();
        byte[] plaintext = RandomNumberGenerator.GetBytes(10_000);
        byte[] message = _keys.SignedMessage(plaintext);
        message[^1] ^= 1;

        (long released, Exception? error) ReadAll(SignedMessagePolicy policy)
        {
            using EnvelopeDecryptingStream stream = encryptor.CreateDecryptingStream(new MemoryStream(message), new DecryptStreamInput { Keyring = _keys.Aes256, SignedMessagePolicy = policy });
            var sink = new MemoryStream();
            try
            {
                stream.CopyTo(sink, 100);
                return (sink.Length, null);
            }
            catch (BadCiphertextException e)
            {
                Assert.True(sink.ToArray().AsSpan().SequenceEqual(plaintext.AsSpan(0, (int)sink.Length)), "what was released is authentic");
                return (sink.Length, e);
            }
        }

        (long held, Exception? heldError) = ReadAll(SignedMessagePolicy.HoldUntilSignatureVerified);
        Assert.Equal(0, held);
        Assert.Equal(BadCiphertextException.AuthenticationFailedMessage, heldError!.Message);
        (long frames, Exception? framesError) = ReadAll(SignedMessagePolicy.ReleaseVerifiedFrames);
        Assert.Equal(9_000, frames);
        Assert.NotNull(framesError);

        message[^1] ^= 1;
        using var intact = encryptor.CreateDecryptingStream(new MemoryStream(message), new DecryptStreamInput { Keyring = _keys.Aes256, SignedMessagePolicy = SignedMessagePolicy.HoldUntilSignatureVerified });
        byte[] first = new byte[20_000];
        Assert.Equal(10_000, intact.ReadAtLeast(first, 10_000, throwOnEndOfStream: false));
        Assert.Equal(plaintext, first[..10_000]);
    }

    [Fact]
    public async Task The_unsigned_only_mode_refuses_a_signed_message_from_its_header_before_any_keyring_call()
    {
        var encryptor = new EnvelopeEncryptor();
        var counting = new CountingKeyring(_keys.Aes256);
        byte[] signedMessage = encryptor.Encrypt(new EncryptInput { Plaintext = new byte[100], Keyring = _keys.Aes256 }).Ciphertext.ToArray();
        byte[] unsigned = encryptor.Encrypt(new EncryptInput { Plaintext = new byte[100], Keyring = _keys.Aes256, AlgorithmSuiteId = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY }).Ciphertext.ToArray();
        var unsignedOnly = new DecryptStreamInput { Keyring = counting, SignedMessagePolicy = SignedMessagePolicy.RejectSignedMessages };

        var refused = Assert.Throws<BadCiphertextException>(() => encryptor.DecryptStream(new MemoryStream(signedMessage), new MemoryStream(), unsignedOnly));
        Assert.Contains("unsigned messages only", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<BadCiphertextException>(() => encryptor.DecryptStreamAsync(new MemoryStream(signedMessage), new MemoryStream(), unsignedOnly));
        Assert.Equal(0, counting.Decrypts);
        var output = new MemoryStream();
        Assert.Equal(100, encryptor.DecryptStream(new MemoryStream(unsigned), output, unsignedOnly).PlaintextLength);
        Assert.Equal(1, counting.Decrypts);
        Assert.Throws<ValidationException>(() => encryptor.CreateDecryptingStream(new MemoryStream(unsigned), unsignedOnly with { SignedMessagePolicy = (SignedMessagePolicy)7 }));
    }

    [Fact]
    public void The_encrypting_stream_completes_on_dispose_keeps_to_the_declared_length_and_is_done_once_complete()
    {
        var encryptor = new EnvelopeEncryptor();
        var sink = new MemoryStream();
        using (EnvelopeEncryptingStream stream = encryptor.CreateEncryptingStream(sink, new EncryptStreamInput { Keyring = _keys.Aes256 }, leaveOpen: true))
        {
            stream.Write("hello"u8);
            Assert.False(stream.HasFlushedFinalBlock);
            Assert.True(stream.CanWrite);
            Assert.False(stream.CanRead);
        }

        Assert.Equal("hello"u8.ToArray(), encryptor.Decrypt(new DecryptInput { Ciphertext = sink.ToArray(), Keyring = _keys.Aes256 }).Plaintext.ToArray());

        var declared = new EncryptStreamInput { Keyring = _keys.Aes256, PlaintextLength = 4 };
        using (EnvelopeEncryptingStream tooLong = encryptor.CreateEncryptingStream(new MemoryStream(), declared))
        {
            Assert.Throws<ValidationException>(() => tooLong.Write("hello"u8));
        }

        var shortSink = new MemoryStream();
        EnvelopeEncryptingStream tooShort = encryptor.CreateEncryptingStream(shortSink, declared, leaveOpen: true);
        tooShort.Write("hel"u8);
        Assert.Throws<ValidationException>(tooShort.FlushFinalBlock);
        tooShort.Dispose(); // a failed stream is not completed on dispose: what it wrote does not decrypt
        Assert.Throws<BadCiphertextException>(() => encryptor.Decrypt(new DecryptInput { Ciphertext = shortSink.ToArray(), Keyring = _keys.Aes256 }));

        var done = encryptor.CreateEncryptingStream(new MemoryStream(), new EncryptStreamInput { Keyring = _keys.Aes256 });
        done.FlushFinalBlock();
        Assert.False(done.CanWrite);
        Assert.Throws<InvalidOperationException>(() => done.Write([1]));
        done.Dispose();
        Assert.Throws<ObjectDisposedException>(() => done.Write([1]));
        Assert.Throws<NotSupportedException>(() => done.Read(new byte[1], 0, 1));
    }

    [Fact]
    public async Task The_decrypting_stream_reads_the_header_first_and_refuses_truncation_and_trailing_bytes()
    {
        var encryptor = new EnvelopeEncryptor();
        byte[] plaintext = RandomNumberGenerator.GetBytes(3000);
        byte[] message = encryptor.Encrypt(new EncryptInput { Plaintext = plaintext, Keyring = _keys.Aes256, FrameLength = 512, EncryptionContext = new Dictionary<string, string> { ["a"] = "b" } }).Ciphertext.ToArray();

        await using (EnvelopeDecryptingStream stream = encryptor.CreateDecryptingStream(new MemoryStream(message), new DecryptStreamInput { Keyring = _keys.Aes256 }))
        {
            Assert.Null(stream.Header);
            MessageHeaderInfo header = await stream.ReadHeaderAsync();
            Assert.Equal(512, header.FrameLength);
            Assert.Equal("b", stream.EncryptionContext!["a"]);
            Assert.NotNull(stream.DecryptedDataKey);
            Assert.Equal(0, stream.PlaintextLength);
        }

        int headerLength = EnvelopeEncryptor.ParseHeader(message).HeaderLength;
        foreach ((int cut, string where) in new[] { (10, "inside its header"), (headerLength + 10, "inside frame 1."), (headerLength + 600, "inside frame 2."), (headerLength + (5 * (4 + 12 + 512 + 16)) + 10, "inside frame 6."), (message.Length - 1, "inside its signature.") })
        {
            using EnvelopeDecryptingStream truncated = encryptor.CreateDecryptingStream(new MemoryStream(message[..cut]), new DecryptStreamInput { Keyring = _keys.Aes256 });
            var error = Assert.Throws<BadCiphertextException>(() => truncated.CopyTo(Stream.Null));
            Assert.StartsWith("The message is truncated", error.Message, StringComparison.Ordinal);
            Assert.Contains(where, error.Message, StringComparison.Ordinal);
        }


        using EnvelopeDecryptingStream trailing = encryptor.CreateDecryptingStream(new MemoryStream([.. message, 0]), new DecryptStreamInput { Keyring = _keys.Aes256 });
        Assert.Equal("The message is followed by more bytes.", Assert.Throws<BadCiphertextException>(() => trailing.CopyTo(Stream.Null)).Message);
        Assert.Throws<InvalidOperationException>(() => trailing.Read(new byte[10])); // a failed message stays failed
        await Assert.ThrowsAsync<InvalidOperationException>(() => trailing.ReadAsync(new byte[10]).AsTask());

        var inner = new MemoryStream(message);
        using (encryptor.CreateDecryptingStream(inner, new DecryptStreamInput { Keyring = _keys.Aes256 }, leaveOpen: true))
        {
        }

        Assert.True(inner.CanRead);
        using (encryptor.CreateDecryptingStream(inner, new DecryptStreamInput { Keyring = _keys.Aes256 }))
        {
        }

        Assert.False(inner.CanRead);
    }

    [Fact]
    public void The_decrypting_stream_reads_a_long_message_in_memory_near_its_frame_length()
    {
        var encryptor = new EnvelopeEncryptor();
        byte[] plaintext = RandomNumberGenerator.GetBytes(1 << 20);
        byte[] message = encryptor.Encrypt(new EncryptInput { Plaintext = plaintext, Keyring = _keys.Aes256, FrameLength = 4096 }).Ciphertext.ToArray();
        using EnvelopeDecryptingStream stream = encryptor.CreateDecryptingStream(new MemoryStream(message), new DecryptStreamInput { Keyring = _keys.Aes256 });
        using var sink = new MemoryStream();

        stream.CopyTo(sink, 1000);

        Assert.Equal(plaintext, sink.ToArray());
        Assert.True(stream.BufferCapacity <= 16 * 1024, $"the read buffer grew to {stream.BufferCapacity} bytes for 4 KiB frames");
    }

    private static void WriteInChunks(Stream stream, byte[] data, int chunk)
    {
        int size = 1 + (chunk % 1000);
        for (int offset = 0; offset < data.Length; offset += size)
        {
            stream.Write(data, offset, Math.Min(size, data.Length - offset));
        }
    }

    /// <summary>A keyring with no randomness: the data key comes from a seed, and the encrypted data key holds the seed.</summary>
    private sealed class DeterministicKeyring(int seed) : IKeyring
    {
        public ValueTask OnEncryptAsync(EncryptionMaterials materials, CancellationToken cancellationToken = default)
        {
            byte[] seedBytes = BitConverter.GetBytes(seed);
            materials.SetPlaintextDataKey(SHA512.HashData(seedBytes).AsSpan(0, materials.Suite.DataKeyLength));
            materials.AddEncryptedDataKey(new EncryptedDataKey { KeyProviderId = "deterministic", KeyProviderInfo = "seed"u8.ToArray(), Ciphertext = seedBytes });
            return ValueTask.CompletedTask;
        }

        public ValueTask OnDecryptAsync(DecryptionMaterials materials, IReadOnlyList<EncryptedDataKey> encryptedDataKeys, CancellationToken cancellationToken = default)
        {
            EncryptedDataKey edk = encryptedDataKeys.Single(k => k.KeyProviderId == "deterministic");
            materials.SetPlaintextDataKey(SHA512.HashData(edk.Ciphertext.Span).AsSpan(0, materials.Suite.DataKeyLength), edk);
            return ValueTask.CompletedTask;
        }
    }
}
