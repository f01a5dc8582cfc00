using System.Security.Cryptography;
using Vaultlib.Envelope;
using Vaultlib.Envelope.Format;

namespace Vaultlib.Tests.Envelope;

/// <summary>
/// The streaming engine's three size limits, each lowered so that a test can reach it (the real ones are a 1 GiB frame,
/// 2 GB of held plaintext and 4,294,967,294 frames): each refuses with its own error, at the limit and not before.
/// </summary>
public sealed class StreamingLimitsTests(EnvelopeTestKeys keys) : IClassFixture<EnvelopeTestKeys>
{
    [Fact]
    public void The_read_buffer_refuses_to_grow_past_its_limit_and_grows_until_it()
    {
        var buffer = new StreamBuffer(new MemoryStream(new byte[100_000])) { MaxLength = 32_768 };
        var capacities = new List<int>();
        var refused = Assert.Throws<BadCiphertextException>(() =>
        {
            while (buffer.Fill())
            {
                capacities.Add(buffer.Capacity); // nothing consumed: a frame that never ends
            }
        });

        Assert.Equal("A single frame of the message is larger than one buffer can hold.", refused.Message);
        Assert.Equal(16_384, buffer.Capacity);
        Assert.Contains(16_384, capacities);
        Assert.Equal(16_384, buffer.Available.Length);
    }

    [Fact]
    public void A_signed_message_held_until_verified_is_refused_once_it_outgrows_the_held_limit()
    {
        var encryptor = new EnvelopeEncryptor();
        byte[] plaintext = RandomNumberGenerator.GetBytes(5_000);
        byte[] message = keys.SignedMessage(plaintext);

        byte[] Read(int maxHeld)
        {
            using EnvelopeDecryptingStream stream = encryptor.CreateDecryptingStream(new MemoryStream(message), new DecryptStreamInput { Keyring = keys.Aes256, SignedMessagePolicy = SignedMessagePolicy.HoldUntilSignatureVerified });
            stream.MaxHeldPlaintextForTests = maxHeld;
            var sink = new MemoryStream();
            stream.CopyTo(sink);
            return sink.ToArray();
        }

        Assert.Equal(plaintext, Read(5_000)); // exactly at the limit
        var refused = Assert.Throws<BadCiphertextException>(() => Read(4_999));
        Assert.Contains("larger than one buffer can hold until its signature verifies", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encryption_refuses_a_frame_past_the_last_frame_number_the_format_allows()
    {
        var encryptor = new EnvelopeEncryptor();
        byte[] Write(uint firstSequence, int frames)
        {
            var sink = new MemoryStream();
            using (EnvelopeEncryptingStream stream = encryptor.CreateEncryptingStream(sink, new EncryptStreamInput { Keyring = keys.Aes256, FrameLength = 1 }, leaveOpen: true))
            {
                stream.Message.NextSequenceForTests = firstSequence;
                stream.Write(new byte[frames]);
            }

            return sink.ToArray();
        }

        // Frames 0xFFFFFFFD (regular) and 0xFFFFFFFE (final) are the last two a message may have.
        Assert.NotEmpty(Write(MessageCrypto.FinalFrameMarker - 2, 2));
        var refused = Assert.Throws<ValidationException>(() => Write(MessageCrypto.FinalFrameMarker - 2, 3));
        Assert.Equal("FrameLength", refused.MemberName);
    }
}
