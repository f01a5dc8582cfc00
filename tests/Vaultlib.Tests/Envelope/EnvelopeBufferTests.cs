using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Vaultlib.Envelope;

namespace Vaultlib.Tests.Envelope;

/// <summary><see cref="EnvelopeBuffer"/>: one-shot messages into pooled memory the caller owns, zeroed when returned.</summary>
public sealed class EnvelopeBufferTests
{
    [Fact]
    public async Task One_shot_encryption_and_decryption_write_into_a_pooled_buffer()
    {
        using var keyring = new RawAesKeyring("ns", "k", RandomNumberGenerator.GetBytes(32));
        var encryptor = new EnvelopeEncryptor();
        byte[] plaintext = RandomNumberGenerator.GetBytes(1024 * 1024 + 17);
        using var sealedBuffer = new EnvelopeBuffer();
        await encryptor.EncryptAsync(new EncryptInput { Plaintext = plaintext, Keyring = keyring, FrameLength = 64 * 1024 }, sealedBuffer);
        using var opened = new EnvelopeBuffer();
        await encryptor.DecryptAsync(new DecryptInput { Ciphertext = sealedBuffer.WrittenMemory, Keyring = keyring }, opened);
        Assert.Equal(plaintext, opened.WrittenMemory.ToArray());
        Assert.Equal(plaintext, (await encryptor.DecryptAsync(new DecryptInput { Ciphertext = sealedBuffer.WrittenMemory, Keyring = keyring })).Plaintext.ToArray());
    }

    [Fact]
    public void Disposing_zeroes_what_was_written_before_the_array_goes_back_to_the_pool()
    {
        // A size no other test rents, so the array returned to this thread's pool slot stays as Dispose left it.
        var buffer = new EnvelopeBuffer();
        Span<byte> span = buffer.GetSpan(3_000_000);
        span[..100].Fill(0xAB);
        buffer.Advance(100);
        Assert.True(MemoryMarshal.TryGetArray(buffer.WrittenMemory, out ArraySegment<byte> segment));
        byte[] array = segment.Array!;
        buffer.Dispose();
        Assert.All(array.Take(100), b => Assert.Equal(0, b));
        Assert.Throws<ObjectDisposedException>(() => buffer.WrittenMemory);
        Assert.Throws<ObjectDisposedException>(() => buffer.GetSpan());
        buffer.Dispose(); // twice is harmless
        Assert.Equal("EnvelopeBuffer(disposed)", buffer.ToString());
    }

    [Fact]
    public void It_grows_keeping_what_was_written_and_refuses_to_advance_past_its_end()
    {
        using var buffer = new EnvelopeBuffer();
        buffer.GetSpan(3)[..3].Fill(7);
        buffer.Advance(3);
        Span<byte> more = buffer.GetSpan(10_000);
        Assert.True(more.Length >= 10_000);
        more[..10_000].Fill(9);
        buffer.Advance(10_000);
        Assert.Equal(10_003, buffer.WrittenMemory.Length);
        Assert.Equal([7, 7, 7, 9], buffer.WrittenMemory[..4].ToArray());
        Assert.Equal(10_003, ((IMemoryOwner<byte>)buffer).Memory.Length);
        Assert.Throws<InvalidOperationException>(() => buffer.Advance(int.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Advance(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.GetMemory(-1));
        Assert.Equal("EnvelopeBuffer(10003 bytes written)", buffer.ToString());
    }
}
