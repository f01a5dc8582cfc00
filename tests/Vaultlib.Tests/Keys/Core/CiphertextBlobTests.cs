using System.Buffers.Binary;
using System.Security.Cryptography;
using Vaultlib.Keys;

namespace Vaultlib.Tests.Keys.Core;

/// <summary>
/// The KMS ciphertext blob (docs/formats/kms-ciphertext.md) byte by byte: its layout, each header rule at its edges,
/// a blob cut in every region, and tampering with each authenticated part.
/// </summary>
public sealed class CiphertextBlobTests : IDisposable
{
    private const string KeyId = "1234abcd-12ab-34cd-56ef-1234567890ab";
    private static readonly byte[] s_context = [0, 1, 0, 1, (byte)'k', 0, 1, (byte)'v'];
    private readonly AesGcm _gcm = new(RandomNumberGenerator.GetBytes(32), CiphertextBlob.TagSize);

    public void Dispose() => _gcm.Dispose();

    private byte[] Blob(string keyId = KeyId, int version = 3, int length = 5, byte[]? context = null) =>
        CiphertextBlob.Encrypt(keyId, version, _gcm, Enumerable.Range(1, length).Select(i => unchecked((byte)i)).ToArray(), context ?? s_context);

    private static void Refused(byte[] blob) => Assert.Throws<InvalidCiphertextException>(() => CiphertextBlob.Parse(blob));

    [Fact]
    public void The_layout_is_version_key_id_material_version_iv_ciphertext_tag()
    {
        byte[] blob = Blob();
        Assert.Equal(1, blob[0]);
        Assert.Equal(KeyId.Length, blob[1]);
        Assert.Equal(KeyId, System.Text.Encoding.ASCII.GetString(blob, 2, KeyId.Length));
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(2 + KeyId.Length)));
        Assert.Equal(CiphertextBlob.Overhead(KeyId) + 5, blob.Length);
        Assert.Equal(2 + KeyId.Length + 4, CiphertextBlob.HeaderLength(KeyId));
        Assert.Equal(CiphertextBlob.HeaderLength(KeyId) + 12 + 16, CiphertextBlob.Overhead(KeyId));
        Assert.NotEqual(Blob().AsSpan(CiphertextBlob.HeaderLength(KeyId), 12).ToArray(), blob.AsSpan(CiphertextBlob.HeaderLength(KeyId), 12).ToArray());

        ParsedBlob parsed = CiphertextBlob.Parse(blob);
        Assert.Equal((KeyId, 3, CiphertextBlob.HeaderLength(KeyId), 5), (parsed.KeyId, parsed.MaterialVersion, parsed.HeaderLength, parsed.PlaintextLength));
        byte[] plaintext = new byte[parsed.PlaintextLength];
        CiphertextBlob.Decrypt(parsed, _gcm, s_context, plaintext);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, plaintext);
    }

    [Fact]
    public void An_empty_plaintext_and_a_context_longer_than_the_stack_buffer_round_trip()
    {
        byte[] empty = Blob(length: 0, context: []);
        ParsedBlob parsed = CiphertextBlob.Parse(empty);
        Assert.Equal(0, parsed.PlaintextLength);
        CiphertextBlob.Decrypt(parsed, _gcm, [], []);

        byte[] longContext = Enumerable.Repeat((byte)7, 4000).ToArray();
        byte[] blob = Blob(context: longContext);
        byte[] plaintext = new byte[5];
        CiphertextBlob.Decrypt(CiphertextBlob.Parse(blob), _gcm, longContext, plaintext);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, plaintext);
        Assert.Throws<InvalidCiphertextException>(() => CiphertextBlob.Decrypt(CiphertextBlob.Parse(blob), _gcm, longContext.AsSpan(1), new byte[5]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(0xFF)]
    public void Another_format_version_is_refused(byte version)
    {
        byte[] blob = Blob();
        blob[0] = version;
        Refused(blob);
    }

    [Fact]
    public void Key_ids_are_1_to_64_characters()
    {
        Assert.Equal("a", CiphertextBlob.Parse(Blob(keyId: "a")).KeyId);
        Assert.Equal(new string('0', 64), CiphertextBlob.Parse(Blob(keyId: new string('0', 64))).KeyId);

        byte[] blob = Blob(keyId: new string('0', 65));
        Refused(blob);
        byte[] zero = Blob();
        zero[1] = 0;
        Refused(zero);
    }

    [Fact]
    public void Key_ids_hold_lowercase_hex_dashes_and_the_letters_of_mrk_only()
    {
        Assert.Equal("mrk-0123456789abcdef", CiphertextBlob.Parse(Blob(keyId: "mrk-0123456789abcdef")).KeyId);
        foreach (char c in "/:`g@AZFMn_ \u007f")
        {
            Refused(Blob(keyId: $"ab{c}cd"));
        }
    }

    [Fact]
    public void Material_versions_are_1_to_int_MaxValue()
    {
        Assert.Equal(1, CiphertextBlob.Parse(Blob(version: 1)).MaterialVersion);
        Assert.Equal(int.MaxValue, CiphertextBlob.Parse(Blob(version: int.MaxValue)).MaterialVersion);
        foreach (uint version in new[] { 0u, 0x8000_0000u, uint.MaxValue })
        {
            byte[] blob = Blob();
            BinaryPrimitives.WriteUInt32BigEndian(blob.AsSpan(2 + KeyId.Length), version);
            Refused(blob);
        }
    }

    [Fact]
    public void A_blob_cut_anywhere_before_its_tag_ends_is_refused()
    {
        byte[] empty = Blob(length: 0);
        Assert.Equal(0, CiphertextBlob.Parse(empty).PlaintextLength);
        for (int length = 0; length < empty.Length; length++)
        {
            Refused(empty[..length]); // in the header, the IV or the tag
        }
    }

    [Fact]
    public void Blobs_are_at_most_6144_bytes()
    {
        int largest = CiphertextBlob.MaxBlobLength - CiphertextBlob.Overhead(KeyId);
        Assert.Equal(6144, Blob(length: largest).Length);
        Assert.Equal(largest, CiphertextBlob.Parse(Blob(length: largest)).PlaintextLength);
        Refused(Blob(length: largest + 1));
    }

    [Fact]
    public void Changing_any_byte_or_the_context_fails_authentication_and_leaves_no_plaintext()
    {
        byte[] blob = Blob(length: 24);
        for (int i = 2 + KeyId.Length; i < blob.Length; i++)
        {
            byte[] tampered = (byte[])blob.Clone();
            tampered[i] ^= 0x01;
            ParsedBlob parsed;
            try
            {
                parsed = CiphertextBlob.Parse(tampered);
            }
            catch (InvalidCiphertextException)
            {
                continue; // the material version's top bit
            }

            byte[] destination = new byte[parsed.PlaintextLength];
            Assert.Throws<InvalidCiphertextException>(() => CiphertextBlob.Decrypt(parsed, _gcm, s_context, destination));
            Assert.All(destination, b => Assert.Equal(0, b));
        }

        // The key id is authenticated too: another valid id is refused by the tag.
        byte[] otherKey = (byte[])blob.Clone();
        otherKey[2] = (byte)'2';
        Assert.Throws<InvalidCiphertextException>(() => CiphertextBlob.Decrypt(CiphertextBlob.Parse(otherKey), _gcm, s_context, new byte[24]));

        Assert.Throws<InvalidCiphertextException>(() => CiphertextBlob.Decrypt(CiphertextBlob.Parse(blob), _gcm, [0, 1, 0, 1, (byte)'k', 0, 1, (byte)'w'], new byte[24]));
        Assert.Throws<InvalidCiphertextException>(() => CiphertextBlob.Decrypt(CiphertextBlob.Parse(blob), _gcm, [], new byte[24]));
    }

    [Fact]
    public void A_blob_built_by_the_documented_format_decrypts()
    {
        // docs/formats/kms-ciphertext.md, built here independently: AAD = "vaultlib/kms-ciphertext/v1" 00 ‖ header ‖ context.
        byte[] key = RandomNumberGenerator.GetBytes(32);
        byte[] header = [1, (byte)KeyId.Length, .. System.Text.Encoding.ASCII.GetBytes(KeyId), 0, 0, 0, 7];
        byte[] iv = RandomNumberGenerator.GetBytes(12);
        byte[] plaintext = "documented"u8.ToArray();
        byte[] ciphertext = new byte[plaintext.Length], tag = new byte[16];
        using (var gcm = new AesGcm(key, 16))
        {
            byte[] aad = [.. "vaultlib/kms-ciphertext/v1"u8, 0, .. header, .. s_context];
            gcm.Encrypt(iv, plaintext, ciphertext, tag, aad);
        }

        byte[] blob = [.. header, .. iv, .. ciphertext, .. tag];
        using var decryptor = new AesGcm(key, 16);
        ParsedBlob parsed = CiphertextBlob.Parse(blob);
        Assert.Equal(7, parsed.MaterialVersion);
        byte[] opened = new byte[parsed.PlaintextLength];
        CiphertextBlob.Decrypt(parsed, decryptor, s_context, opened);
        Assert.Equal(plaintext, opened);
    }
}
