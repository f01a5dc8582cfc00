using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vaultlib.Envelope;

namespace Vaultlib.Tests.Envelope;

/// <summary>Round trips over every suite, frame lengths (empty, exact multiples), keyrings and contexts; any single-bit flip fails.</summary>
[Properties(Arbitrary = [typeof(EnvelopeArbitraries)], MaxTest = 150)]
public sealed class EnvelopePropertyTests : IClassFixture<EnvelopeTestKeys>
{
    private static readonly EnvelopeEncryptor s_encryptor = new(new EnvelopeEncryptorOptions { CommitmentPolicy = CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT });
    private static readonly EnvelopeEncryptor s_legacy = new(new EnvelopeEncryptorOptions { CommitmentPolicy = CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT });
    private readonly EnvelopeTestKeys _keys;

    public EnvelopePropertyTests(EnvelopeTestKeys keys) => _keys = keys;

    private static EnvelopeEncryptor For(AlgorithmSuite suite) => suite.IsCommitting ? s_encryptor : s_legacy;

    private byte[] Encrypt(EnvelopeCase c) =>
        For(c.Suite).EncryptAsync(new EncryptInput
        {
            Plaintext = c.Plaintext,
            Keyring = _keys.Choose(c.KeyringChoice),
            EncryptionContext = c.Context,
            AlgorithmSuiteId = c.Suite,
            FrameLength = c.FrameLength,
        }).AsTask().GetAwaiter().GetResult().Ciphertext.ToArray();

    private DecryptOutput Decrypt(byte[] message, int keyringChoice) =>
        s_encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, Keyring = _keys.Choose(keyringChoice) }).AsTask().GetAwaiter().GetResult();

    [Property]
    public Property One_shot_round_trip(EnvelopeCase c)
    {
        byte[] message = Encrypt(c);
        DecryptOutput output = Decrypt(message, c.KeyringChoice);
        bool contextKept = c.Context.All(p => output.EncryptionContext.TryGetValue(p.Key, out string? v) && v == p.Value);
        return (output.Plaintext.Span.SequenceEqual(c.Plaintext) && output.AlgorithmSuiteId == c.Suite && contextKept).Label(c.ToString());
    }

    [Property]
    public Property Streaming_and_one_shot_are_interchangeable(EnvelopeCase c)
    {
        using var sealedStream = new MemoryStream();
        For(c.Suite).EncryptStreamAsync(new MemoryStream(c.Plaintext), sealedStream, new EncryptStreamInput
        {
            Keyring = _keys.Choose(c.KeyringChoice),
            EncryptionContext = c.Context,
            AlgorithmSuiteId = c.Suite,
            FrameLength = c.FrameLength,
        }).GetAwaiter().GetResult();
        byte[] streamedMessage = sealedStream.ToArray();
        bool oneShotReadsStream = Decrypt(streamedMessage, c.KeyringChoice).Plaintext.Span.SequenceEqual(c.Plaintext);

        using var opened = new MemoryStream();
        s_encryptor.DecryptStreamAsync(new MemoryStream(Encrypt(c)), opened, new DecryptStreamInput { Keyring = _keys.Choose(c.KeyringChoice) }).GetAwaiter().GetResult();
        bool streamReadsOneShot = opened.ToArray().AsSpan().SequenceEqual(c.Plaintext);
        return (oneShotReadsStream && streamReadsOneShot).Label(c.ToString());
    }

    [Property(MaxTest = 300)]
    public Property Any_single_bit_flip_fails_cleanly(EnvelopeCase c, PositiveInt position)
    {
        byte[] message = Encrypt(c with { KeyringChoice = 0 });
        int bit = position.Get % (message.Length * 8);
        message[bit / 8] ^= (byte)(1 << (bit % 8));
        try
        {
            Decrypt(message, 0);
            return false.Label($"bit {bit} of {message.Length * 8} went unnoticed ({c})");
        }
        catch (AwsCryptoException)
        {
            return true.ToProperty();
        }
    }

    [Property(MaxTest = 200)]
    public Property Every_truncation_fails_cleanly(EnvelopeCase c, PositiveInt cut)
    {
        byte[] message = Encrypt(c with { KeyringChoice = 0 });
        int length = cut.Get % message.Length;
        try
        {
            Decrypt(message[..length], 0);
            return false.Label($"a {length}-byte prefix of {message.Length} decrypted");
        }
        catch (AwsCryptoException)
        {
            return true.ToProperty();
        }
    }
}
