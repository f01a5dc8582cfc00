using System.Security.Cryptography;
using Vaultlib.Secrets;

namespace Vaultlib.Tests.Secrets.Core;

/// <summary>
/// The ready AES-GCM instances of lately read versions: handed out only for the data key they were made from, replaced
/// when a version's data key changes, dropped when their version or secret goes, bounded, and disposed with the table.
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

        Assert.Equal("secret", Open(ciphers, "v1", key, sealedValue, tag));
        Assert.Equal("secret", Open(ciphers, "v1", key, sealedValue, tag));
        Assert.Equal(1, ciphers.Count);

        // The same version read with another key (the secret moved to another KMS key): a new instance, never the old one.
        byte[] other = RandomNumberGenerator.GetBytes(32);
        Assert.Throws<AuthenticationTagMismatchException>(() => Open(ciphers, "v1", other, sealedValue, tag));
        Assert.Equal(1, ciphers.Count);
        Assert.Throws<AuthenticationTagMismatchException>(() => Open(ciphers, "v1", key[..31].Append((byte)(key[31] ^ 1)).ToArray(), sealedValue, tag));
        Assert.Equal("secret", Open(ciphers, "v1", key, sealedValue, tag));
    }

    [Fact]
    public void Versions_that_leave_the_secret_and_deleted_secrets_are_forgotten()
    {
        using var ciphers = new SecretCiphers();
        byte[] key = RandomNumberGenerator.GetBytes(32);
        foreach (string version in new[] { "v1", "v2", "v3" })
        {
            using (ciphers.Rent(Arn, version, key))
            {
            }
        }

        using (ciphers.Rent(Arn + "x", "v1", key))
        {
        }

        SecretVersionRecord kept = new() { VersionId = "v2", Ciphertext = [1], Stages = [], CreatedDate = DateTimeOffset.UnixEpoch };
        ciphers.Forget(Arn, [kept]);
        Assert.Equal(2, ciphers.Count);
        ciphers.Forget(Arn, keep: null);
        Assert.Equal(1, ciphers.Count);
    }

    [Fact]
    public void At_most_MaxEntries_versions_are_held_and_a_disposed_table_holds_none()
    {
        var ciphers = new SecretCiphers();
        byte[] key = RandomNumberGenerator.GetBytes(32);
        for (int i = 0; i < SecretCiphers.MaxEntries + 10; i++)
        {
            using (ciphers.Rent(Arn, $"v{i}", key))
            {
            }
        }

        Assert.Equal(SecretCiphers.MaxEntries, ciphers.Count);
        byte[] sealedValue = Seal(key, "last", out byte[] tag);
        Assert.Equal("last", Open(ciphers, $"v{SecretCiphers.MaxEntries + 9}", key, sealedValue, tag));

        ciphers.Dispose();
        Assert.Equal(0, ciphers.Count);
        Assert.Equal("last", Open(ciphers, "late", key, sealedValue, tag)); // still works, holding nothing
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

    private static string Open(SecretCiphers ciphers, string versionId, byte[] key, byte[] ciphertext, byte[] tag)
    {
        byte[] plaintext = new byte[ciphertext.Length];
        using SecretCiphers.Lease lease = ciphers.Rent(Arn, versionId, key);
        lease.Gcm.Decrypt(s_nonce, ciphertext, tag, plaintext);
        return System.Text.Encoding.UTF8.GetString(plaintext);
    }
}
