using Vaultlib.Envelope;

namespace Vaultlib.Tests.Envelope.Caching;

/// <summary>
/// Cache entry ids by the ESDK's formula (spec 0.3.0), against the published vectors of the AWS Encryption SDK for
/// Python (<c>test/unit/caches/test_caches.py</c>, Apache-2.0), copied here: the partition, contexts, encrypted
/// data keys and expected ids are theirs.
/// </summary>
public sealed class CacheIdVectorTests
{
    private const string Partition = "c15b9079-6d0e-42b6-8784-5e804b025692";

    private static readonly Dictionary<string, string> s_empty = [];

    private static readonly Dictionary<string, string> s_full = new() { ["this"] = "is", ["a"] = "non-empty", ["encryption"] = "context" };

    private static readonly EncryptedDataKey s_edk1 = new()
    {
        KeyProviderId = "this is a provider ID",
        KeyProviderInfo = "this is some key info"u8.ToArray(),
        Ciphertext = "super secret key, now with encryption!"u8.ToArray(),
    };

    private static readonly EncryptedDataKey s_edk2 = new()
    {
        KeyProviderId = "another provider ID!",
        KeyProviderInfo = "this is some different key info"u8.ToArray(),
        Ciphertext = "better super secret key, now with encryption!"u8.ToArray(),
    };

    private static readonly CachingCryptoMaterialsManager s_cmm = new(
        new DefaultCryptoMaterialsManager(new NoKeyring()),
        new LocalCryptoMaterialsCache(1),
        new CachingCryptoMaterialsManagerOptions { MaxAge = TimeSpan.FromMinutes(1), PartitionName = Partition });

    private static CacheId Expected(string base64) => CacheId.From(Convert.FromBase64String(base64));

    public static TheoryData<string?, bool, string> EncryptVectors => new()
    {
        { null, false, "rkrFAso1YyPbOJbmwVMjrPw+wwLJT7xusn8tA8zMe9e3+OqbtfDueB7bvoKLU3fsmdUvZ6eMt7mBp1ThMMB25Q==" },
        { nameof(AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384), false, "3icBIkLK4V3fVwbm3zSxUdUQV6ZvZYUOLl8buN36g6gDMqAkghcGryxX7QiVABkW1JhB6GRp5z+bzbiuciBcKQ==" },
        { null, true, "IHiUHYOUVUEFTc3BcZPJDlsWct2Qy1A7JdfQl9sQoV/ILIbRpoz9q7RtGd/MlibaGl5ihE66cN8ygM8A5rtYbg==" },
        { nameof(AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384), true, "mRNK7qhTb/kJiiyGPgAevp0gwFRcET4KeeNYwZHhoEDvSUzQiDgl8Of+YRDaVzKxAqpNBgcAuFXde9JlaRRsmw==" },
    };

    [Theory]
    [MemberData(nameof(EncryptVectors))]
    public void Encrypt_ids_match_the_published_vectors(string? suite, bool fullContext, string id)
    {
        var input = new GetEncryptionMaterialsInput
        {
            EncryptionContext = fullContext ? s_full : s_empty,
            CommitmentPolicy = CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT,
            AlgorithmSuiteId = suite is null ? null : Suite(suite),
        };

        Assert.Equal(Expected(id), s_cmm.EncryptCacheId(input));
        Assert.Equal(Expected(id), s_cmm.EncryptCacheId(input)); // the per-thread memo gives the same id
    }

    [Fact]
    public void Decrypt_ids_match_the_published_vectors()
    {
        Assert.Equal(
            Expected("n0zVzk9QIVxhz6ET+aJIKKOJNxtpGtSe1yAbu7WU5l272Iw/jmhlER4psDHJs9Mr8KYiIvLGSXzggNDCc23+9w=="),
            s_cmm.DecryptCacheId(Decrypt(AlgorithmSuite.AES_128_GCM_IV12_TAG16_HKDF_SHA256, [s_edk1], s_empty)));

        CacheId both = Expected("+rtwUe38CGnczGmYu12iqGWHIyDyZ44EvYQ4S6ACmsgS8VaEpiw0RTGpDk6Z/7YYN/jVHOAcNKDyCNP8EmstFg==");
        Assert.Equal(both, s_cmm.DecryptCacheId(Decrypt(AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384, [s_edk1, s_edk2], s_full)));

        // The keys' hashes are sorted, so their order in the message does not change the id.
        Assert.Equal(both, s_cmm.DecryptCacheId(Decrypt(AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384, [s_edk2, s_edk1], s_full)));
    }

    [Fact]
    public void A_reproduced_context_gives_another_decrypt_id_and_an_empty_one_does_not()
    {
        DecryptMaterialsInput plain = Decrypt(AlgorithmSuite.AES_128_GCM_IV12_TAG16_HKDF_SHA256, [s_edk1], s_empty);
        CacheId id = s_cmm.DecryptCacheId(plain);
        Assert.Equal(id, s_cmm.DecryptCacheId(plain with { ReproducedEncryptionContext = s_empty }));
        CacheId reproduced = s_cmm.DecryptCacheId(plain with { ReproducedEncryptionContext = s_full });
        Assert.NotEqual(id, reproduced);
        Assert.NotEqual(reproduced, s_cmm.DecryptCacheId(plain with { ReproducedEncryptionContext = new Dictionary<string, string> { ["a"] = "b" } }));
    }

    [Fact]
    public void Ids_differ_by_partition_and_the_memo_is_per_manager()
    {
        var other = new CachingCryptoMaterialsManager(
            new DefaultCryptoMaterialsManager(new NoKeyring()),
            new LocalCryptoMaterialsCache(1),
            new CachingCryptoMaterialsManagerOptions { MaxAge = TimeSpan.FromMinutes(1), PartitionName = "another" });
        var input = new GetEncryptionMaterialsInput { EncryptionContext = s_empty, CommitmentPolicy = CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT };
        CacheId mine = s_cmm.EncryptCacheId(input);
        Assert.NotEqual(mine, other.EncryptCacheId(input));
        Assert.Equal(mine, s_cmm.EncryptCacheId(input));

        DecryptMaterialsInput decrypt = Decrypt(AlgorithmSuite.AES_128_GCM_IV12_TAG16_HKDF_SHA256, [s_edk1], s_empty);
        Assert.NotEqual(s_cmm.DecryptCacheId(decrypt), other.DecryptCacheId(decrypt));
    }

    [Fact]
    public void A_context_too_long_for_the_stack_and_one_too_long_to_memoize_still_give_stable_ids()
    {
        var big = new Dictionary<string, string> { ["k"] = new string('v', 600) };
        var huge = new Dictionary<string, string> { ["k"] = new string('v', 65_528) }; // 65,535 bytes encoded: the largest context
        foreach (Dictionary<string, string> context in new[] { big, huge })
        {
            var input = new GetEncryptionMaterialsInput { EncryptionContext = context, CommitmentPolicy = CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT };
            CacheId first = s_cmm.EncryptCacheId(input);
            Assert.Equal(first, s_cmm.EncryptCacheId(input));
            Assert.NotEqual(first, s_cmm.EncryptCacheId(input with { EncryptionContext = s_empty }));
            Assert.Equal(first, s_cmm.EncryptCacheId(input));
        }

        // Many keys: more than fit the stack's offsets.
        EncryptedDataKey[] many = [.. Enumerable.Range(0, 40).Select(i => s_edk1 with { Ciphertext = new[] { (byte)i } })];
        DecryptMaterialsInput decrypt = Decrypt(AlgorithmSuite.AES_128_GCM_IV12_TAG16_HKDF_SHA256, many, s_empty);
        Assert.Equal(s_cmm.DecryptCacheId(decrypt), s_cmm.DecryptCacheId(decrypt with { EncryptedDataKeys = [.. many.Reverse()] }));
    }

    [Fact]
    public void A_context_that_cannot_be_encoded_is_refused_by_name()
    {
        var input = new GetEncryptionMaterialsInput { EncryptionContext = new Dictionary<string, string> { ["\uD800"] = "v" }, CommitmentPolicy = CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT };
        Assert.Throws<ValidationException>(() => s_cmm.EncryptCacheId(input));
    }

    [Fact]
    public void Consecutive_ids_on_one_thread_are_each_their_own()
    {
        // The per-thread memo must compare the whole input: "suite, empty context" then "no suite, empty context".
        var withSuite = new GetEncryptionMaterialsInput { EncryptionContext = s_empty, CommitmentPolicy = CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT, AlgorithmSuiteId = AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384 };
        var withoutSuite = withSuite with { AlgorithmSuiteId = null };
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(Expected("3icBIkLK4V3fVwbm3zSxUdUQV6ZvZYUOLl8buN36g6gDMqAkghcGryxX7QiVABkW1JhB6GRp5z+bzbiuciBcKQ=="), s_cmm.EncryptCacheId(withSuite));
            Assert.Equal(Expected("rkrFAso1YyPbOJbmwVMjrPw+wwLJT7xusn8tA8zMe9e3+OqbtfDueB7bvoKLU3fsmdUvZ6eMt7mBp1ThMMB25Q=="), s_cmm.EncryptCacheId(withoutSuite));
        }

        DecryptMaterialsInput a = Decrypt(AlgorithmSuite.AES_128_GCM_IV12_TAG16_HKDF_SHA256, [s_edk1], s_empty);
        DecryptMaterialsInput b = a with { AlgorithmSuiteId = AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384 };
        Assert.NotEqual(s_cmm.DecryptCacheId(a), s_cmm.DecryptCacheId(b));
        Assert.Equal(Expected("n0zVzk9QIVxhz6ET+aJIKKOJNxtpGtSe1yAbu7WU5l272Iw/jmhlER4psDHJs9Mr8KYiIvLGSXzggNDCc23+9w=="), s_cmm.DecryptCacheId(a));
    }

    [Fact]
    public void A_reproduced_context_is_hashed_after_the_context_as_Vaultlib_documents()
    {
        // Vaultlib's extension of the decrypt formula: SHA512(P ‖ suite ‖ sorted SHA512(EDK) ‖ 00×64 ‖ SHA512(EC) ‖ SHA512(reproduced EC)).
        var reproduced = new Dictionary<string, string> { ["tenant"] = "a", ["stage"] = "prod" };
        DecryptMaterialsInput input = Decrypt(AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384, [s_edk1, s_edk2], s_full) with { ReproducedEncryptionContext = reproduced };

        byte[][] edkHashes = [.. new[] { s_edk1, s_edk2 }.Select(k => System.Security.Cryptography.SHA512.HashData(EdkBytes(k))).OrderBy(h => h, Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y)))];
        byte[] material =
        [
            .. System.Security.Cryptography.SHA512.HashData(System.Text.Encoding.UTF8.GetBytes(Partition)),
            0x03, 0x78,
            .. edkHashes[0], .. edkHashes[1],
            .. new byte[64],
            .. System.Security.Cryptography.SHA512.HashData(Vaultlib.Internal.EncryptionContextSerializer.Serialize(s_full)),
            .. System.Security.Cryptography.SHA512.HashData(Vaultlib.Internal.EncryptionContextSerializer.Serialize(reproduced)),
        ];
        Assert.Equal(CacheId.From(System.Security.Cryptography.SHA512.HashData(material)), s_cmm.DecryptCacheId(input));
        Assert.Equal(CacheId.From(System.Security.Cryptography.SHA512.HashData(material)), s_cmm.DecryptCacheId(input));

        static byte[] EdkBytes(EncryptedDataKey k)
        {
            byte[] id = System.Text.Encoding.UTF8.GetBytes(k.KeyProviderId);
            return [(byte)(id.Length >> 8), (byte)id.Length, .. id, (byte)(k.KeyProviderInfo.Length >> 8), (byte)k.KeyProviderInfo.Length, .. k.KeyProviderInfo.Span, (byte)(k.Ciphertext.Length >> 8), (byte)k.Ciphertext.Length, .. k.Ciphertext.Span];
        }
    }

    private static DecryptMaterialsInput Decrypt(AlgorithmSuite suite, EncryptedDataKey[] edks, Dictionary<string, string> context) => new()
    {
        AlgorithmSuiteId = suite,
        CommitmentPolicy = CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT,
        EncryptedDataKeys = edks,
        EncryptionContext = context,
    };

    private static AlgorithmSuite Suite(string name) =>
        (AlgorithmSuite)typeof(AlgorithmSuite).GetProperty(name)!.GetValue(null)!;

    private sealed class NoKeyring : IKeyring
    {
        public ValueTask OnEncryptAsync(EncryptionMaterials materials, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask OnDecryptAsync(DecryptionMaterials materials, IReadOnlyList<EncryptedDataKey> encryptedDataKeys, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
