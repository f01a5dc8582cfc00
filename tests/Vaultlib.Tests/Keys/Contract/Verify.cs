using System.Numerics;
using System.Text;
using Vaultlib.Keys;

namespace Vaultlib.Tests.Keys;

/// <summary>Contract tests: the contract of KMS <c>Verify</c>.</summary>
public abstract partial class KeyServiceContractTests
{
    [SkippableFact]
    public async Task Bad_signatures_are_KMSInvalidSignatureException_in_the_spirit_of_Wycheproof()
    {
        KeyMetadata p256 = await NewKey(KeySpec.ECC_NIST_P256);
        byte[] message = Encoding.UTF8.GetBytes("wycheproof");
        byte[] good = await Sign(p256.KeyId, message, SigningAlgorithmSpec.ECDSA_SHA_256);
        (BigInteger r, BigInteger s) = EcdsaDer.Read(good);
        BigInteger n = BigInteger.Parse("115792089210356248762697446949407573529996955224135760342422259061068512044369", System.Globalization.CultureInfo.InvariantCulture);

        var bad = new List<(string Why, byte[] Signature)>
        {
            ("high S (n - s): valid ECDSA, but not canonical", EcdsaDer.Write(r, n - s)),
            ("trailing byte after the DER sequence", [.. good, 0]),
            ("non-minimal integer (a redundant leading zero)", EcdsaDer.WriteRaw(Prefix0(r.ToByteArray(isBigEndian: true)), s.ToByteArray(isBigEndian: true))),
            ("r = 0", EcdsaDer.Write(BigInteger.Zero, s)),
            ("s = 0", EcdsaDer.Write(r, BigInteger.Zero)),
            ("r = n", EcdsaDer.Write(n, s)),
            ("raw r||s instead of DER", [.. Pad(r), .. Pad(s)]),
            ("truncated DER", good[..^1]),
        };
        byte[] flipped = (byte[])good.Clone();
        flipped[^3] ^= 0x10;
        bad.Add(("flipped bit in s", flipped));
        foreach ((string why, byte[] signature) in bad)
        {
            KMSInvalidSignatureException? ex = null;
            try
            {
                await Verify(p256.KeyId, message, signature, SigningAlgorithmSpec.ECDSA_SHA_256);
            }
            catch (KMSInvalidSignatureException caught)
            {
                ex = caught;
            }

            Assert.True(ex is not null, $"accepted a signature with {why}");
            Assert.Equal("KMSInvalidSignatureException", ex!.ErrorCode);
        }

        await Assert.ThrowsAsync<KMSInvalidSignatureException>(() => Verify(p256.KeyId, [.. message, 1], good, SigningAlgorithmSpec.ECDSA_SHA_256));

        KeyMetadata rsa = await NewKey(KeySpec.RSA_2048, KeyUsageType.SIGN_VERIFY);
        byte[] rsaSignature = await Sign(rsa.KeyId, message, SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256);
        await Assert.ThrowsAsync<KMSInvalidSignatureException>(() => Verify(rsa.KeyId, message, rsaSignature[..^1], SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256));
        // A changed leading byte (flipped, so it differs whatever it was).
        await Assert.ThrowsAsync<KMSInvalidSignatureException>(() => Verify(rsa.KeyId, message, [(byte)(rsaSignature[0] ^ 0x01), .. rsaSignature[1..]], SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256));
        await Assert.ThrowsAsync<KMSInvalidSignatureException>(() => Verify(rsa.KeyId, message, rsaSignature, SigningAlgorithmSpec.RSASSA_PSS_SHA_256));

        static byte[] Prefix0(byte[] value) => [0, .. value];
        static byte[] Pad(BigInteger value) => value.ToByteArray(isUnsigned: true, isBigEndian: true).Reverse().Concat(new byte[32]).Take(32).Reverse().ToArray();
    }
}
