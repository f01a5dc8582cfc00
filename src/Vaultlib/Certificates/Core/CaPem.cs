using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Vaultlib.Certificates;

/// <summary>Certificates and CSRs as requests carry them (PEM, or DER), read with .NET's parsers; what does not parse is AWS's malformed-input error.</summary>
internal static class CaPem
{
    /// <summary>Every certificate in <paramref name="data"/> (PEM blocks in order, or one DER certificate).</summary>
    public static List<X509Certificate2> ReadAll(ReadOnlySpan<byte> data, string member)
    {
        var found = new List<X509Certificate2>();
        try
        {
            string text = Encoding.ASCII.GetString(data);
            ReadOnlySpan<char> rest = text;
            while (PemEncoding.TryFind(rest, out PemFields fields))
            {
                if (rest[fields.Label].SequenceEqual("CERTIFICATE"))
                {
                    found.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(rest[fields.Base64Data].ToString())));
                }

                rest = rest[fields.Location.End..];
            }

            int blocks = CountOf(text, "-----BEGIN CERTIFICATE-----");
            if (blocks != found.Count)
            {
                // A block PEM's rules do not find (its BEGIN line not on a line of its own) would be lost silently.
                throw new FormatException("A certificate block is not well-formed PEM.");
            }

            if (found.Count == 0)
            {
                found.Add(X509CertificateLoader.LoadCertificate(data));
            }

            return found;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            // Stryker disable once Statement : disposing certificates the caller never sees frees them early; nothing reads them
            found.ForEach(c => c.Dispose());
            throw new MalformedCertificateException($"The {member} is not a PEM (or DER) X.509 certificate.");
        }
    }

    private static int CountOf(string text, string value)
    {
        int count = 0;
        for (int at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>The one certificate in <paramref name="data"/>.</summary>
    public static X509Certificate2 ReadOne(ReadOnlySpan<byte> data, string member)
    {
        List<X509Certificate2> all = ReadAll(data, member);
        if (all.Count != 1)
        {
            // Stryker disable once Statement : disposing certificates the caller never sees frees them early; nothing reads them
            all.ForEach(c => c.Dispose());
            throw new MalformedCertificateException($"The {member} must hold exactly one certificate.");
        }

        return all[0];
    }

    /// <summary>
    /// A certificate signing request (PEM or DER) whose signature verifies; otherwise <see cref="MalformedCSRException"/>.
    /// Its requested extensions are loaded (.NET leaves them out unless asked), but an issuer takes only the subject
    /// alternative names from them: the template decides the rest.
    /// </summary>
    public static CertificateRequest ReadCsr(ReadOnlySpan<byte> data, HashAlgorithmName hash)
    {
        try
        {
            string text = Encoding.ASCII.GetString(data);
            return text.Contains("-----BEGIN", StringComparison.Ordinal)
                ? CertificateRequest.LoadSigningRequestPem(text, hash, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions)
                : CertificateRequest.LoadSigningRequest(data, hash, out _, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException)
        {
            throw new MalformedCSRException("The CSR is not a PKCS#10 certificate signing request whose signature verifies.");
        }
    }

    /// <summary>
    /// Why <paramref name="certificate"/> does not verify up <paramref name="chain"/> (nearest first), whose last
    /// certificate is taken as the trust anchor, at <paramref name="now"/>; null when it verifies.
    /// </summary>
    public static string? ChainProblems(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain, DateTimeOffset now)
    {
        using var verifier = new X509Chain();
        verifier.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        verifier.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        verifier.ChainPolicy.VerificationTime = now.UtcDateTime;
        verifier.ChainPolicy.CustomTrustStore.Add(chain[^1]);
        verifier.ChainPolicy.ExtraStore.AddRange(chain.ToArray());
        return verifier.Build(certificate) ? null : string.Join("; ", verifier.ChainStatus.Select(s => s.Status.ToString()));
    }
}
