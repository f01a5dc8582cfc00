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

    [Fact]
    public void One_instance_is_kept_per_sealed_value_and_instances_not_kept_are_disposed()
    {
        using var ciphers = new SecretCiphers();
        byte[] key = RandomNumberGenerator.GetBytes(32);
        byte[] sealedValue = Seal(key, "value", out byte[] tag);
        AesGcm kept;
        using (SecretCiphers.Lease lease = ciphers.Rent(Arn, sealedValue, key))
        {
            kept = lease.Gcm;
        }

        using (SecretCiphers.Lease again = ciphers.Rent(Arn, sealedValue, key))
        {
            Assert.Same(kept, again.Gcm);
        }

        // Two at once: the second instance is disposed when given back, since the entry already holds one.
        SecretCiphers.Lease first = ciphers.Rent(Arn, sealedValue, key);
        SecretCiphers.Lease second = ciphers.Rent(Arn, sealedValue, key);
        first.Dispose();
        second.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Decrypt(second.Gcm, sealedValue, tag));
        Assert.Equal("value", Decrypt(first.Gcm, sealedValue, tag));

        // A value read with another data key (never KMS's answer for it) is used once and leaves the entry alone.
        byte[] other = RandomNumberGenerator.GetBytes(32);
        SecretCiphers.Lease foreign = ciphers.Rent(Arn, sealedValue, other);
        foreign.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Decrypt(foreign.Gcm, sealedValue, tag));
        using (SecretCiphers.Lease still = ciphers.Rent(Arn, sealedValue, key))
        {
            Assert.Same(kept, still.Gcm);
        }

        // Dropped while rented: the instance is disposed when given back, and the entry's own is disposed at once.
        SecretCiphers.Lease rented = ciphers.Rent(Arn, sealedValue, key);
        using (SecretCiphers.Lease busy = ciphers.Rent(Arn, sealedValue, key))
        {
        }

        ciphers.Forget(Arn, keep: null);
        rented.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Decrypt(rented.Gcm, sealedValue, tag));
        Assert.Throws<ObjectDisposedException>(() => Decrypt(kept, sealedValue, tag));
    }

    [Fact]
    public void The_value_just_added_is_kept_when_the_bound_is_passed()
    {
        using var ciphers = new SecretCiphers();
        byte[] key = RandomNumberGenerator.GetBytes(32);
        for (int i = 0; i < SecretCiphers.MaxEntries; i++)
        {
            using (ciphers.Rent(Arn, BitConverter.GetBytes(i), key))
            {
            }
        }

        byte[] last = [9, 9, 9, 9, 9];
        AesGcm made;
        using (SecretCiphers.Lease lease = ciphers.Rent(Arn, last, key))
        {
            made = lease.Gcm;
        }

        Assert.Equal(SecretCiphers.MaxEntries, ciphers.Count);
        using SecretCiphers.Lease again = ciphers.Rent(Arn, last, key);
        Assert.Same(made, again.Gcm);
    }

    private static string Decrypt(AesGcm gcm, byte[] ciphertext, byte[] tag)
    {
        byte[] plaintext = new byte[ciphertext.Length];
        gcm.Decrypt(s_nonce, ciphertext, tag, plaintext);
        return System.Text.Encoding.UTF8.GetString(plaintext);
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
