using System.Security.Cryptography;

namespace Vaultlib.Envelope;

/// <summary>
/// An AWS Encryption SDK algorithm suite: the data key length, key derivation, signature and
/// message format version of a message. Singletons carry the ESDK's names and ids
/// (<c>docs/formats/esdk-message.md</c>).
/// </summary>
public sealed class AlgorithmSuite
{
    private static readonly Dictionary<ushort, AlgorithmSuite> s_byId = [];

    private AlgorithmSuite(ushort id, string name, int dataKeyLength, HashAlgorithmName? kdf, ECCurve? signatureCurve, HashAlgorithmName signatureHash, byte messageFormatVersion)
    {
        Id = id;
        Name = name;
        DataKeyLength = dataKeyLength;
        KdfHash = kdf;
        SignatureCurve = signatureCurve;
        SignatureHash = signatureHash;
        MessageFormatVersion = messageFormatVersion;
        s_byId.Add(id, this);
    }

    /// <summary>0x0014: AES-128-GCM, no key derivation. Legacy; not committing.</summary>
    public static AlgorithmSuite AES_128_GCM_IV12_TAG16_NO_KDF { get; } = new(0x0014, nameof(AES_128_GCM_IV12_TAG16_NO_KDF), 16, null, null, default, 1);

    /// <summary>0x0046: AES-192-GCM, no key derivation. Legacy; not committing.</summary>
    public static AlgorithmSuite AES_192_GCM_IV12_TAG16_NO_KDF { get; } = new(0x0046, nameof(AES_192_GCM_IV12_TAG16_NO_KDF), 24, null, null, default, 1);

    /// <summary>0x0078: AES-256-GCM, no key derivation. Legacy; not committing.</summary>
    public static AlgorithmSuite AES_256_GCM_IV12_TAG16_NO_KDF { get; } = new(0x0078, nameof(AES_256_GCM_IV12_TAG16_NO_KDF), 32, null, null, default, 1);

    /// <summary>0x0114: AES-128-GCM, HKDF-SHA256. Not committing.</summary>
    public static AlgorithmSuite AES_128_GCM_IV12_TAG16_HKDF_SHA256 { get; } = new(0x0114, nameof(AES_128_GCM_IV12_TAG16_HKDF_SHA256), 16, HashAlgorithmName.SHA256, null, default, 1);

    /// <summary>0x0146: AES-192-GCM, HKDF-SHA256. Not committing.</summary>
    public static AlgorithmSuite AES_192_GCM_IV12_TAG16_HKDF_SHA256 { get; } = new(0x0146, nameof(AES_192_GCM_IV12_TAG16_HKDF_SHA256), 24, HashAlgorithmName.SHA256, null, default, 1);

    /// <summary>0x0178: AES-256-GCM, HKDF-SHA256. Not committing.</summary>
    public static AlgorithmSuite AES_256_GCM_IV12_TAG16_HKDF_SHA256 { get; } = new(0x0178, nameof(AES_256_GCM_IV12_TAG16_HKDF_SHA256), 32, HashAlgorithmName.SHA256, null, default, 1);

    /// <summary>0x0214: AES-128-GCM, HKDF-SHA256, ECDSA P-256 with SHA-256. Not committing.</summary>
    public static AlgorithmSuite AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256 { get; } = new(0x0214, nameof(AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256), 16, HashAlgorithmName.SHA256, ECCurve.NamedCurves.nistP256, HashAlgorithmName.SHA256, 1);

    /// <summary>0x0346: AES-192-GCM, HKDF-SHA384, ECDSA P-384 with SHA-384. Not committing.</summary>
    public static AlgorithmSuite AES_192_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384 { get; } = new(0x0346, nameof(AES_192_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384), 24, HashAlgorithmName.SHA384, ECCurve.NamedCurves.nistP384, HashAlgorithmName.SHA384, 1);

    /// <summary>0x0378: AES-256-GCM, HKDF-SHA384, ECDSA P-384 with SHA-384. Not committing.</summary>
    public static AlgorithmSuite AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384 { get; } = new(0x0378, nameof(AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384), 32, HashAlgorithmName.SHA384, ECCurve.NamedCurves.nistP384, HashAlgorithmName.SHA384, 1);

    /// <summary>0x0478: AES-256-GCM, HKDF-SHA512 with key commitment. Message format 2.</summary>
    public static AlgorithmSuite AES_256_GCM_HKDF_SHA512_COMMIT_KEY { get; } = new(0x0478, nameof(AES_256_GCM_HKDF_SHA512_COMMIT_KEY), 32, HashAlgorithmName.SHA512, null, default, 2);

    /// <summary>0x0578: AES-256-GCM, HKDF-SHA512 with key commitment, ECDSA P-384 with SHA-384. Message format 2. The default suite.</summary>
    public static AlgorithmSuite AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384 { get; } = new(0x0578, nameof(AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384), 32, HashAlgorithmName.SHA512, ECCurve.NamedCurves.nistP384, HashAlgorithmName.SHA384, 2);

    /// <summary>Every suite, in id order.</summary>
    public static IReadOnlyList<AlgorithmSuite> All { get; } = s_byId.Values.OrderBy(s => s.Id).ToArray();

    /// <summary>The two-byte suite id, e.g. 0x0478.</summary>
    public ushort Id { get; }

    /// <summary>The ESDK's name for the suite.</summary>
    public string Name { get; }

    /// <summary>Data key and encryption key length in bytes (16, 24 or 32).</summary>
    public int DataKeyLength { get; }

    /// <summary>The HKDF hash; null for the identity KDF (the data key encrypts directly).</summary>
    public HashAlgorithmName? KdfHash { get; }

    /// <summary>The ECDSA curve of signing suites; null otherwise.</summary>
    public ECCurve? SignatureCurve { get; }

    /// <summary>The signature hash of signing suites.</summary>
    public HashAlgorithmName SignatureHash { get; }

    /// <summary>1 for suites 0x0014-0x0378, 2 for the committing suites.</summary>
    public byte MessageFormatVersion { get; }

    /// <summary>True for 0x0478 and 0x0578: the header commits to the data key.</summary>
    public bool IsCommitting => MessageFormatVersion == 2;

    /// <summary>True when messages carry an ECDSA signature footer.</summary>
    public bool IsSigning => SignatureCurve is not null;

    /// <summary>Whether materials may be reused across messages (the suite derives a per-message key).</summary>
    public bool IsSafeToCache => KdfHash is not null;

    /// <summary>The length of the compressed public key point (33 for P-256, 49 for P-384), or 0.</summary>
    internal int SignaturePublicKeyLength => SignatureCurve is null ? 0 : SignatureHash == HashAlgorithmName.SHA256 ? 33 : 49;

    /// <summary>The suite with <paramref name="id"/>, or null.</summary>
    public static AlgorithmSuite? FromId(ushort id) => s_byId.GetValueOrDefault(id);

    /// <summary>The suite's name and id.</summary>
    public override string ToString() => $"{Name} (0x{Id:X4})";
}

/// <summary>Which suites encrypt and decrypt may use (the ESDK's commitment policy).</summary>
public enum CommitmentPolicy
{
    /// <summary>Encrypt with non-committing suites only (default 0x0378); decrypt anything.</summary>
    FORBID_ENCRYPT_ALLOW_DECRYPT,

    /// <summary>Encrypt with committing suites only (default 0x0578); decrypt anything.</summary>
    REQUIRE_ENCRYPT_ALLOW_DECRYPT,

    /// <summary>Encrypt and decrypt with committing suites only (default 0x0578). The default policy.</summary>
    REQUIRE_ENCRYPT_REQUIRE_DECRYPT,
}
