using System.Security.Cryptography;
using Vaultlib.Secrets;

namespace Vaultlib.Tests.Secrets.Core;

/// <summary>
/// The ready AES-GCM instances of lately read versions: handed out only for the data key they were made from, one per
/// sealed value, dropped when their sealed value or secret goes, bounded, and disposed with the table.
/// </summary>
public sealed class SecretCiphersTests
{
    private const string Arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-abcdef";
    private static readonly byte[] s_nonce = new byte[12];

    [Fact]
    public void An_instance_is_handed_out_only_for_the_data_key_it_was_made_from()
    {
        using var ciphers = new SecretCiphers();
        byte[] key = RandomNumberGenerator.GetBytes(32);
        byte[] sealedValue = Seal(key, "secret", out byte[] tag);

        Assert.Equal("secret", Open(ciphers, sealedValue, key, tag));
        Assert.Equal("secret", Open(ciphers, sealedValue, key, tag));
        Assert.Equal(1, ciphers.Count);

        // Another data key for the same sealed value (one bit off, or another key altogether): never the held instance.
        byte[] other = RandomNumberGenerator.GetBytes(32);
        Assert.Throws<AuthenticationTagMismatchException>(() => Open(ciphers, sealedValue, other, tag));
        Assert.Equal(1, ciphers.Count);
        Assert.Throws<AuthenticationTagMismatchException>(() => Open(ciphers, sealedValue, key[..31].Append((byte)(key[31] ^ 1)).ToArray(), tag));
        Assert.Equal("secret", Open(ciphers, sealedValue, key, tag));

        // Two reads at once: the second gets an instance of its own, and both work.
        using (SecretCiphers.Lease first = ciphers.Rent(Arn, sealedValue, key))
        using (SecretCiphers.Lease second = ciphers.Rent(Arn, sealedValue, key))
        {
            Assert.NotSame(first.Gcm, second.Gcm);
        }

        Assert.Equal("secret", Open(ciphers, sealedValue, key, tag));
    }

    [Fact]
    public void Versions_that_leave_the_secret_and_deleted_secrets_are_forgotten()
    {
        using var ciphers = new SecretCiphers();
        byte[] key = RandomNumberGenerator.GetBytes(32);
        byte[][] sealedValues = [[1], [2], [3]];
        foreach (byte[] sealedValue in sealedValues)
        {
            using (ciphers.Rent(Arn, sealedValue, key))
            {
            }
        }

        using (ciphers.Rent(Arn + "x", [1], key))
        {
        }

        // Kept: the version whose sealed value is the very array held (an equal copy is another value).
        SecretVersionRecord kept = new() { VersionId = "v2", Ciphertext = sealedValues[1], Stages = [], CreatedDate = DateTimeOffset.UnixEpoch };
        SecretVersionRecord copy = new() { VersionId = "v3", Ciphertext = [3], Stages = [], CreatedDate = DateTimeOffset.UnixEpoch };
        ciphers.Forget(Arn, [kept, copy]);
        Assert.Equal(2, ciphers.Count);
        ciphers.Forget(Arn, keep: null);
        Assert.Equal(1, ciphers.Count);
    }

    [Fact]
    public void At_most_MaxEntries_versions_are_held_and_a_disposed_table_holds_none()
    {
        var ciphers = new SecretCiphers();
        byte[] key = RandomNumberGenerator.GetBytes(32);
        byte[] sealedValue = Seal(key, "last", out byte[] tag);
        for (int i = 0; i < SecretCiphers.MaxEntries + 10; i++)
        {
            using (ciphers.Rent(Arn, BitConverter.GetBytes(i), key))
            {
            }
        }

        Assert.Equal(SecretCiphers.MaxEntries, ciphers.Count);
        Assert.Equal("last", Open(ciphers, sealedValue, key, tag));
        Assert.Equal(SecretCiphers.MaxEntries, ciphers.Count);

        ciphers.Dispose();
        Assert.Equal(0, ciphers.Count);
        Assert.Equal("last", Open(ciphers, sealedValue, key, tag)); // still works, holding nothing
        Assert.Equal(0, ciphers.Count);
    }

    private static byte[] Seal(byte[] key, string value, out byte[] tag)
    {
        byte[] plaintext = System.Text.Encoding.UTF8.GetBytes(value);
        byte[] ciphertext = new byte[plaintext.Length];
        tag = new byte[16];
        using var gcm = new AesGcm(key, 16);
        gcm.Encrypt(s_nonce, plaintext, ciphertext, tag);
        return ciphertext;
    }

    private static string Open(SecretCiphers ciphers, byte[] ciphertext, byte[] key, byte[] tag)
    {
        byte[] plaintext = new byte[ciphertext.Length];
        using SecretCiphers.Lease lease = ciphers.Rent(Arn, ciphertext, key);
        lease.Gcm.Decrypt(s_nonce, ciphertext, tag, plaintext);
        return System.Text.Encoding.UTF8.GetString(plaintext);
    }
}
