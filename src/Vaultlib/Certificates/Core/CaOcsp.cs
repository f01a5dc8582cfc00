using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Ocsp;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace Vaultlib.Certificates;

/// <summary>
/// The OCSP responder (RFC 6960) of the CAs whose <c>OcspConfiguration</c> is enabled, with BouncyCastle for the
/// protocol's structures (which .NET lacks) and the CA's own .NET key for the signature, so the key never enters a
/// BouncyCastle object. Each request's certificate is matched to a CA by its issuer name and key hashes, then by
/// serial: <c>good</c>, <c>revoked</c> (with the date and reason) or <c>unknown</c> (not issued by the CA). The
/// response is signed by the CA itself (responder id by key), valid for a day, and echoes the request's nonce;
/// a request that does not parse is answered <c>malformedRequest</c>, one that names no CA of this service
/// <c>unauthorized</c>. Issued certificates point to the responder in their authority information access:
/// <c>http://&lt;OcspCustomCname&gt;</c>, or AWS's <c>http://ocsp.acm-pca.&lt;region&gt;.amazonaws.com</c>.
/// </summary>
internal static class CaOcsp
{
    private static readonly TimeSpan s_validity = TimeSpan.FromDays(1);

    /// <summary>The responder URL issued certificates name, or null when the CA answers no OCSP.</summary>
    public static string? ResponderUrl(CaRecord ca, string region) => ca.Revocation?.OcspConfiguration is { Enabled: true } ocsp
        ? ocsp.OcspCustomCname is { Length: > 0 } cname ? "http://" + cname : $"http://ocsp.acm-pca.{region}.amazonaws.com"
        : null;

    public static byte[] Respond(CaTable table, ReadOnlySpan<byte> requestDer)
    {
        OcspReq request;
        Req[] items;
        try
        {
            request = new OcspReq(requestDer.ToArray());
            items = request.GetRequestList();
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or InvalidCastException or OcspException)
        {
            return Status(OcspRespStatus.MalformedRequest);
        }

        if (items.Length == 0)
        {
            return Status(OcspRespStatus.MalformedRequest);
        }

        // Every certificate asked about must be of one CA of this service that answers OCSP.
        (CaRecord Ca, BcCertificate Certificate)? issuer = null;
        foreach (CaRecord ca in table.All)
        {
            if (ca.Certificate is { } der && ResponderUrl(ca, table.Options.Region) is not null)
            {
                var candidate = new BcCertificate(X509CertificateStructure.GetInstance(der));
                if (items.All(item => item.GetCertID().MatchesIssuer(candidate)))
                {
                    issuer = (ca, candidate);
                    break;
                }
            }
        }

        if (issuer is not { } found)
        {
            return Status(OcspRespStatus.Unauthorized);
        }

        DateTimeOffset now = table.Now;
        var generator = new BasicOcspRespGenerator(new RespID(found.Certificate.GetPublicKey()));
        foreach (Req item in items)
        {
            CertificateID id = item.GetCertID();
            string serial = Convert.ToHexStringLower(id.SerialNumber.ToByteArrayUnsigned()).PadLeft(32, '0');
            IssuedCertificateRecord? issued = table.FindCertificate(found.Ca.Id, serial);
            CertificateStatus? status = issued is null ? new UnknownStatus()
                : issued.RevokedAt is { } revokedAt ? new RevokedStatus(revokedAt.UtcDateTime, ReasonCode(issued.RevocationReason))
                : CertificateStatus.Good;
            generator.AddResponse(id, status, now.UtcDateTime, now.Add(s_validity).UtcDateTime, null);
        }

        if (request.RequestExtensions?.GetExtension(OcspObjectIdentifiers.PkixOcspNonce) is { } nonce)
        {
            generator.SetResponseExtensions(new X509Extensions(new Dictionary<DerObjectIdentifier, X509Extension> { [OcspObjectIdentifiers.PkixOcspNonce] = nonce }));
        }

        BasicOcspResp basic = generator.Generate(new Signer(table.KeyOf(found.Ca), found.Ca.Configuration.SigningAlgorithm), null, now.UtcDateTime);
        return new OCSPRespGenerator().Generate(OcspRespStatus.Successful, basic).GetEncoded();
    }

    private static byte[] Status(int status) => new OCSPRespGenerator().Generate(status, null).GetEncoded();

    private static int ReasonCode(RevocationReason? reason) => reason switch
    {
        RevocationReason.KEY_COMPROMISE => CrlReason.KeyCompromise,
        RevocationReason.CERTIFICATE_AUTHORITY_COMPROMISE => CrlReason.CACompromise,
        RevocationReason.AFFILIATION_CHANGED => CrlReason.AffiliationChanged,
        RevocationReason.SUPERSEDED => CrlReason.Superseded,
        RevocationReason.CESSATION_OF_OPERATION => CrlReason.CessationOfOperation,
        RevocationReason.PRIVILEGE_WITHDRAWN => CrlReason.PrivilegeWithdrawn,
        RevocationReason.A_A_COMPROMISE => CrlReason.AACompromise,
        _ => CrlReason.Unspecified,
    };

    /// <summary>BouncyCastle's signature seam, signing with the CA's .NET key (ECDSA as a DER sequence, RSA PKCS#1 v1.5).</summary>
    private sealed class Signer(AsymmetricAlgorithm key, SigningAlgorithm algorithm) : ISignatureFactory
    {
        public object AlgorithmDetails => algorithm switch
        {
            SigningAlgorithm.SHA256WITHECDSA => new AlgorithmIdentifier(new DerObjectIdentifier("1.2.840.10045.4.3.2")),
            SigningAlgorithm.SHA384WITHECDSA => new AlgorithmIdentifier(new DerObjectIdentifier("1.2.840.10045.4.3.3")),
            SigningAlgorithm.SHA512WITHECDSA => new AlgorithmIdentifier(new DerObjectIdentifier("1.2.840.10045.4.3.4")),
            SigningAlgorithm.SHA256WITHRSA => new AlgorithmIdentifier(new DerObjectIdentifier("1.2.840.113549.1.1.11"), DerNull.Instance),
            SigningAlgorithm.SHA384WITHRSA => new AlgorithmIdentifier(new DerObjectIdentifier("1.2.840.113549.1.1.12"), DerNull.Instance),
            _ => new AlgorithmIdentifier(new DerObjectIdentifier("1.2.840.113549.1.1.13"), DerNull.Instance),
        };

        public IStreamCalculator<IBlockResult> CreateCalculator() => new Calculator(key, CaKeys.Hash(algorithm));

        [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "A MemoryStream holds only managed memory, and BouncyCastle's calculators are never disposed.")]
        private sealed class Calculator(AsymmetricAlgorithm key, HashAlgorithmName hash) : IStreamCalculator<IBlockResult>
        {
            private readonly MemoryStream _data = new();

            public Stream Stream => _data;

            public IBlockResult GetResult() => new SimpleBlockResult(key switch
            {
                ECDsa ec => ec.SignData(_data.ToArray(), hash, DSASignatureFormat.Rfc3279DerSequence),
                RSA rsa => rsa.SignData(_data.ToArray(), hash, RSASignaturePadding.Pkcs1),
                _ => throw new InvalidOperationException("Unknown CA key type."),
            });
        }
    }
}
