using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Asn1.X9;

namespace Vaultlib.Envelope;

/// <summary>
/// What the raw and AWS KMS ECDH keyrings share, as the Material Providers Library defines it: compressed public keys
/// in the provider info (version 0x01 ‖ length ‖ recipient ‖ length ‖ sender), a 64-byte derivation from the shared
/// secret (SP 800-108 counter mode, HMAC-SHA384, a random 32-byte salt, the fixed info as label) whose first half is a
/// commitment key stored beside the wrapped key and whose second half wraps the data key with AES-256-GCM under a zero
/// IV, with the fixed info as AAD. Fixed info: <c>ecdh-key-derivation</c> ‖ 0 ‖ curve ‖ 0 ‖ <c>HMAC_SHA384</c> ‖ 0 ‖
/// sender ‖ recipient ‖ 0 ‖ 0x01 ‖ 0 ‖ the serialized encryption context.
/// </summary>
internal static class EcdhWrapping
{
    public const string RawProviderId = "raw-ecdh";
    public const string KmsProviderId = "aws-kms-ecdh";
    private const byte Version = 0x01;
    private const int SaltLength = 32, CommitmentLength = 32, TagLength = 16;
    private static readonly byte[] s_kdfLabel = "ecdh-key-derivation"u8.ToArray();
    private static readonly byte[] s_prfName = "HMAC_SHA384"u8.ToArray();

    public static ECCurve Curve(EcdhCurveSpec spec) => spec switch
    {
        EcdhCurveSpec.ECC_NIST_P256 => ECCurve.NamedCurves.nistP256,
        EcdhCurveSpec.ECC_NIST_P384 => ECCurve.NamedCurves.nistP384,
        EcdhCurveSpec.ECC_NIST_P521 => ECCurve.NamedCurves.nistP521,
        EcdhCurveSpec.SM2 => throw new ArgumentException("SM2 key agreement is not supported: .NET has none.", nameof(spec)),
        _ => throw new ArgumentOutOfRangeException(nameof(spec), spec, "Not an ECDH curve."),
    };

    public static int FieldLength(EcdhCurveSpec spec) => spec switch
    {
        EcdhCurveSpec.ECC_NIST_P256 => 32,
        EcdhCurveSpec.ECC_NIST_P384 => 48,
        _ => 66,
    };

    private static string CurveName(EcdhCurveSpec spec) => spec switch
    {
        EcdhCurveSpec.ECC_NIST_P256 => "p256",
        EcdhCurveSpec.ECC_NIST_P384 => "p384",
        _ => "p521",
    };

    /// <summary>Imports a DER SubjectPublicKeyInfo on the curve; refuses another curve or a malformed key.</summary>
    public static ECDiffieHellman ImportPublicKey(ReadOnlySpan<byte> subjectPublicKeyInfo, EcdhCurveSpec spec, string paramName)
    {
        ECCurve curve = Curve(spec);
        var key = ECDiffieHellman.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out int read);
            if (read != subjectPublicKeyInfo.Length || key.ExportParameters(false).Curve.Oid.Value != curve.Oid.Value)
            {
                throw new ArgumentException($"The public key is not a {spec} key, or has bytes after it.", paramName);
            }

            return key;
        }
        catch (CryptographicException e)
        {
            // Stryker disable once Statement : disposing a key that failed to import frees it early; nothing reads it
            key.Dispose();
            throw new ArgumentException("The public key is not a DER-encoded SubjectPublicKeyInfo on an elliptic curve.", paramName, e);
        }
        catch
        {
            // Stryker disable once Statement : disposing a key that failed to import frees it early; nothing reads it
            key.Dispose();
            throw;
        }
    }

    /// <summary>Imports a PEM PKCS #8 private key on the curve.</summary>
    public static ECDiffieHellman ImportPrivateKey(string pkcs8Pem, EcdhCurveSpec spec, string paramName)
    {
        ArgumentNullException.ThrowIfNull(pkcs8Pem, paramName);
        ECCurve curve = Curve(spec);
        var key = ECDiffieHellman.Create();
        try
        {
            key.ImportFromPem(pkcs8Pem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // Stryker disable once Statement : disposing a key that failed to import frees it early; nothing reads it
            key.Dispose();
            throw new ArgumentException("The private key is not a PEM-encoded PKCS #8 EC private key.", paramName, e);
        }

        // Stryker disable once Boolean : the curve is in the public parameters as in the private ones
        if (key.ExportParameters(false).Curve.Oid.Value != curve.Oid.Value)
        {
            // Stryker disable once Statement : disposing a refused key frees it early; nothing reads it
            key.Dispose();
            throw new ArgumentException($"The private key is not a {spec} key.", paramName);
        }

        return key;
    }

    /// <summary>The compressed form of a public key (0x02 or 0x03 ‖ X).</summary>
    public static byte[] Compress(ECDiffieHellman key)
    {
        ECParameters parameters = key.ExportParameters(false);
        byte[] compressed = new byte[1 + parameters.Q.X!.Length];
        compressed[0] = (byte)(0x02 | (parameters.Q.Y![^1] & 1));
        parameters.Q.X.CopyTo(compressed, 1);
        return compressed;
    }

    /// <summary>The public key of a compressed point (decompressed with BouncyCastle, which .NET lacks).</summary>
    public static ECDiffieHellman Decompress(ReadOnlySpan<byte> compressed, EcdhCurveSpec spec)
    {
        X9ECParameters curve = ECNamedCurveTable.GetByName(spec switch
        {
            EcdhCurveSpec.ECC_NIST_P256 => "P-256",
            EcdhCurveSpec.ECC_NIST_P384 => "P-384",
            _ => "P-521",
        });
        // Null up front (not unassigned), so that removing the throw below still compiles under mutation testing.
        Org.BouncyCastle.Math.EC.ECPoint? point = null;
        try
        {
            point = curve.Curve.DecodePoint(compressed.ToArray()).Normalize();
        }
        catch (ArgumentException e)
        {
            throw new MaterialProvidersException("A public key in the encrypted data key is not a point of the curve.", e);
        }

        int size = FieldLength(spec);
        return ECDiffieHellman.Create(new ECParameters
        {
            Curve = Curve(spec),
            Q = new ECPoint { X = point.AffineXCoord.GetEncoded().AsSpan()[^size..].ToArray(), Y = point.AffineYCoord.GetEncoded().AsSpan()[^size..].ToArray() },
        });
    }

    /// <summary>Serializes the provider info: version ‖ length ‖ recipient ‖ length ‖ sender (compressed keys).</summary>
    public static byte[] ProviderInfo(byte[] recipient, byte[] sender)
    {
        byte[] info = new byte[1 + 4 + recipient.Length + 4 + sender.Length];
        info[0] = Version;
        BinaryPrimitives.WriteUInt32BigEndian(info.AsSpan(1), (uint)recipient.Length);
        recipient.CopyTo(info, 5);
        BinaryPrimitives.WriteUInt32BigEndian(info.AsSpan(5 + recipient.Length), (uint)sender.Length);
        sender.CopyTo(info, 9 + recipient.Length);
        return info;
    }

    /// <summary>Reads the provider info of an ECDH encrypted data key; false when it is not one for this curve.</summary>
    public static bool TryReadProviderInfo(ReadOnlySpan<byte> info, EcdhCurveSpec spec, out byte[] recipient, out byte[] sender)
    {
        recipient = sender = [];
        int keyLength = 1 + FieldLength(spec);
        if (info.Length != 1 + 4 + keyLength + 4 + keyLength || info[0] != Version
            || BinaryPrimitives.ReadUInt32BigEndian(info[1..]) != keyLength || BinaryPrimitives.ReadUInt32BigEndian(info[(5 + keyLength)..]) != keyLength)
        {
            // Stryker disable once Boolean : "true" with the empty keys set above matches no keyring, so the key is skipped either way
            return false;
        }

        recipient = info.Slice(5, keyLength).ToArray();
        sender = info.Slice(9 + keyLength, keyLength).ToArray();
        return true;
    }

    public static byte[] FixedInfo(EcdhCurveSpec spec, byte[] sender, byte[] recipient, IReadOnlyDictionary<string, string> context)
    {
        byte[] curve = Encoding.ASCII.GetBytes(CurveName(spec));
        byte[] serializedContext = EnvelopeContext.Serialize(context);
        var fixedInfo = new List<byte>();
        fixedInfo.AddRange(s_kdfLabel);
        fixedInfo.Add(0);
        fixedInfo.AddRange(curve);
        fixedInfo.Add(0);
        fixedInfo.AddRange(s_prfName);
        fixedInfo.Add(0);
        fixedInfo.AddRange(sender);
        fixedInfo.AddRange(recipient);
        fixedInfo.Add(0);
        fixedInfo.Add(Version);
        fixedInfo.Add(0);
        fixedInfo.AddRange(serializedContext);
        return [.. fixedInfo];
    }

    /// <summary>Wraps the data key: salt ‖ commitment key ‖ wrapped key ‖ tag.</summary>
    public static byte[] Wrap(ReadOnlySpan<byte> sharedSecret, byte[] fixedInfo, ReadOnlySpan<byte> dataKey)
    {
        byte[] ciphertext = new byte[SaltLength + CommitmentLength + dataKey.Length + TagLength];
        RandomNumberGenerator.Fill(ciphertext.AsSpan(0, SaltLength));
        Span<byte> derived = stackalloc byte[64];
        try
        {
            SP800108HmacCounterKdf.DeriveBytes(sharedSecret, HashAlgorithmName.SHA384, fixedInfo, ciphertext.AsSpan(0, SaltLength), derived);
            derived[..CommitmentLength].CopyTo(ciphertext.AsSpan(SaltLength));
            using var gcm = new AesGcm(derived[32..], TagLength);
            gcm.Encrypt(stackalloc byte[12], dataKey, ciphertext.AsSpan(SaltLength + CommitmentLength, dataKey.Length), ciphertext.AsSpan(ciphertext.Length - TagLength), fixedInfo);
            return ciphertext;
        }
        // Stryker disable all : zeroing a derived key is not observable without reading freed memory (marked on the block, since Stryker removes a finally block whole)
        finally
        {
            CryptographicOperations.ZeroMemory(derived);
        }

        // Stryker restore all
    }

    /// <summary>Unwraps a data key of <paramref name="dataKey"/>'s length, checking the commitment key in constant time.</summary>
    /// <exception cref="MaterialProvidersException">The length is wrong, the commitment key differs, or the tag fails.</exception>
    public static void Unwrap(ReadOnlySpan<byte> sharedSecret, byte[] fixedInfo, ReadOnlySpan<byte> ciphertext, Span<byte> dataKey)
    {
        if (ciphertext.Length != SaltLength + CommitmentLength + dataKey.Length + TagLength)
        {
            throw new MaterialProvidersException($"An ECDH encrypted data key is {ciphertext.Length} bytes; a {dataKey.Length}-byte data key makes {SaltLength + CommitmentLength + dataKey.Length + TagLength}.");
        }

        Span<byte> derived = stackalloc byte[64];
        try
        {
            SP800108HmacCounterKdf.DeriveBytes(sharedSecret, HashAlgorithmName.SHA384, fixedInfo, ciphertext[..SaltLength], derived);
            if (!CryptographicOperations.FixedTimeEquals(derived[..CommitmentLength], ciphertext.Slice(SaltLength, CommitmentLength)))
            {
                throw new MaterialProvidersException("The ECDH commitment keys do not match: another key pair or encryption context.");
            }

            using var gcm = new AesGcm(derived[32..], TagLength);
            try
            {
                gcm.Decrypt(stackalloc byte[12], ciphertext.Slice(SaltLength + CommitmentLength, dataKey.Length), ciphertext[^TagLength..], dataKey, fixedInfo);
            }
            catch (AuthenticationTagMismatchException e)
            {
                throw new MaterialProvidersException("An ECDH encrypted data key failed authentication.", e);
            }
        }
        // Stryker disable all : zeroing a derived key is not observable without reading freed memory (marked on the block, since Stryker removes a finally block whole)
        finally
        {
            CryptographicOperations.ZeroMemory(derived);
        }

        // Stryker restore all
    }
}
