using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Vaultlib.AwsProtocol;

/// <summary>
/// AWS Signature Version 4 as AWS checks it: the canonical request and string to sign rebuilt from the request as
/// received (method, normalized path, sorted query, the signed headers trimmed and folded, the SHA-256 of the body
/// received: never the client's <c>X-Amz-Content-SHA256</c>), the signing key derived from the secret, the date,
/// the Region and the service, and the signature compared in constant time.
/// </summary>
/// <remarks>
/// Over 400 lines on purpose: the whole algorithm is one reviewable unit, and about 40 of its lines are the
/// mutation check's equivalence notes (<c>// Stryker disable once</c>) beside the performance state they explain.
/// </remarks>
internal static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>The parts of an <c>Authorization</c> header.</summary>
    internal sealed record Authorization(string AccessKeyId, string Date, string Region, string Service, IReadOnlyList<string> SignedHeaders, string Signature)
    {
        public string Scope { get; } = $"{Date}/{Region}/{Service}/aws4_request";
    }

    /// <summary>Parses <c>AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…</c>; null when it is not that shape.</summary>
    public static Authorization? Parse(string header)
    {
        if (!header.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return null;
        }

        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string part in header[(Algorithm.Length + 1)..].Split(','))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return null;
            }

            parts[part[..eq].Trim()] = part[(eq + 1)..].Trim();
        }

        // One check per part, so that each can be removed on its own (a mutation check) and still compile.
        if (!parts.TryGetValue("Credential", out string? credential))
        {
            return null;
        }

        if (!parts.TryGetValue("SignedHeaders", out string? signed))
        {
            return null;
        }

        if (!parts.TryGetValue("Signature", out string? signature))
        {
            return null;
        }

        string[] scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request" || scope[1].Length != 8 || signature.Length != 64 || !signature.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        return new Authorization(scope[0], scope[1], scope[2], scope[3], signed.Split(';'), signature);
    }

    /// <summary>The canonical request of a request as received.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The path, as received (percent-encoded).</param>
    /// <param name="query">The query string without its <c>?</c>.</param>
    /// <param name="headers">Every header as received (name, value), in order; a name may repeat.</param>
    /// <param name="signedHeaders">The signed headers' lower-case names, sorted.</param>
    /// <param name="body">The body as received.</param>
    public static string CanonicalRequest(string method, string path, string query, IEnumerable<(string Name, string Value)> headers, IReadOnlyList<string> signedHeaders, ReadOnlySpan<byte> body)
    {
        StringBuilder canonical = BuildCanonicalRequest(method, path, query, headers, signedHeaders, body);
        string text = canonical.ToString();
        // Stryker disable once Statement : keeping the builder for the thread's next request only spares an allocation
        Release(canonical);
        return text;
    }

    /// <summary>
    /// The SHA-256 of the canonical request, as the string to sign carries it, computed without making the canonical
    /// request a string (the endpoint's path: one builder and one hash object per thread, reused).
    /// </summary>
    public static void CanonicalRequestHash(string method, string path, string query, IEnumerable<(string Name, string Value)> headers, IReadOnlyList<string> signedHeaders, ReadOnlySpan<byte> body, Span<byte> hash)
    {
        StringBuilder canonical = BuildCanonicalRequest(method, path, query, headers, signedHeaders, body);
        // Stryker disable once all : a hash object kept per thread or made anew gives the same hash
        IncrementalHash sha256 = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> utf8 = stackalloc byte[1024];
        foreach (ReadOnlyMemory<char> chunk in canonical.GetChunks())
        {
            for (ReadOnlySpan<char> rest = chunk.Span; !rest.IsEmpty;)
            {
                // At most 256 characters at a time: 1,024 bytes hold them in UTF-8 whatever they are.
                int take = Math.Min(rest.Length, 256);
                // Stryker disable once Equality,Update : where the chunk ends changes no byte hashed (a lone surrogate at the end is one replacement
                // character either way, and a whole pair fits the buffer too)
                if (take < rest.Length && char.IsHighSurrogate(rest[take - 1]))
                {
                    take--;
                }

                sha256.AppendData(utf8[..Encoding.UTF8.GetBytes(rest[..take], utf8)]);
                rest = rest[take..];
            }
        }

        sha256.GetHashAndReset(hash);
        // Stryker disable once Statement : keeping the builder for the thread's next request only spares an allocation
        Release(canonical);
    }

    [ThreadStatic]
    private static StringBuilder? t_canonical;

    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    private static StringBuilder BuildCanonicalRequest(string method, string path, string query, IEnumerable<(string Name, string Value)> headers, IReadOnlyList<string> signedHeaders, ReadOnlySpan<byte> body)
    {
        // Stryker disable once NullCoalescing : a kept builder or a new one, the same text
        StringBuilder canonical = t_canonical ?? new StringBuilder(1024);
        t_canonical = null;
        canonical.Append(method).Append('\n');
        canonical.Append(CanonicalPath(path)).Append('\n');
        canonical.Append(CanonicalQuery(query)).Append('\n');
        foreach (string name in signedHeaders)
        {
            // A header sent more than once is its values in order, joined by commas.
            canonical.Append(name).Append(':');
            bool first = true;
            foreach ((string headerName, string value) in headers)
            {
                if (string.Equals(headerName, name, StringComparison.OrdinalIgnoreCase))
                {
                    canonical.Append(first ? string.Empty : ",").Append(Fold(value));
                    first = false;
                }
            }

            canonical.Append('\n');
        }

        canonical.Append('\n').AppendJoin(';', signedHeaders).Append('\n');
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        // Stryker disable once all : a hash object kept per thread or made anew gives the same hash
        IncrementalHash sha256 = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha256.AppendData(body);
        sha256.GetHashAndReset(hash);
        Span<char> hex = stackalloc char[2 * SHA256.HashSizeInBytes];
        Convert.TryToHexStringLower(hash, hex, out _);
        return canonical.Append(hex);
    }

    /// <summary>Keeps a builder for the thread's next request (unless a huge request made it huge).</summary>
    // Stryker disable once all : whether a builder is kept changes allocations, never the text of the next request
    private static void Release(StringBuilder canonical)
    {
        if (canonical.Capacity <= 16 * 1024)
        {
            t_canonical = canonical.Clear();
        }
    }

    /// <summary>The string to sign for <paramref name="canonicalRequest"/> at <paramref name="amzDate"/> in <paramref name="scope"/>.</summary>
    public static string StringToSign(string amzDate, string scope, string canonicalRequest)
    {
        byte[] utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(canonicalRequest.Length));
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8.AsSpan(0, Encoding.UTF8.GetBytes(canonicalRequest, utf8)), hash);
        // Stryker disable once Statement : a rented array not returned is collected; the hash is the same
        ArrayPool<byte>.Shared.Return(utf8);
        return StringToSign(amzDate, scope, hash);
    }

    /// <summary>The string to sign for a canonical request whose SHA-256 is <paramref name="canonicalRequestHash"/>.</summary>
    public static string StringToSign(string amzDate, string scope, ReadOnlySpan<byte> canonicalRequestHash) =>
        $"{Algorithm}\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(canonicalRequestHash)}";

    /// <summary>The signature of <paramref name="stringToSign"/> with the key derived from <paramref name="secret"/> for the scope.</summary>
    public static string Sign(string secret, Authorization scope, string stringToSign)
    {
        byte[] key = SigningKey(secret, scope);
        // Stryker disable once Block,Statement : zeroing a one-off derived key (the finally) is not observable without reading freed memory
        try
        {
            return Sign(key, stringToSign);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The signature of <paramref name="stringToSign"/> with a signing key from <see cref="SigningKey"/>.</summary>
    /// <param name="signingKey">The key.</param>
    /// <param name="stringToSign">The string to sign.</param>
    /// <param name="keptKey">
    /// Whether the caller keeps <paramref name="signingKey"/> (a cache of derived keys): the thread then keeps its HMAC
    /// state for the next signature with the same key, sparing OpenSSL's set-up on every request.
    /// </param>
    public static string Sign(byte[] signingKey, string stringToSign, bool keptKey = false)
    {
        byte[] utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(stringToSign.Length));
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        ReadOnlySpan<byte> message = utf8.AsSpan(0, Encoding.UTF8.GetBytes(stringToSign, utf8));
        // Stryker disable once Negate : the thread's HMAC state or a one-off HMAC, the same MAC (keptKey only spares OpenSSL's set-up)
        if (keptKey)
        {
            if (!ReferenceEquals(t_hmacKey, signingKey))
            {
                // Stryker disable once Statement : disposing the thread's previous HMAC state frees it early; the MAC is the same
                t_hmac?.Dispose();
                t_hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, signingKey);
                t_hmacKey = signingKey;
            }

            t_hmac!.AppendData(message);
            t_hmac.GetHashAndReset(mac);
        }
        else
        {
            HMACSHA256.HashData(signingKey, message, mac);
        }

        // Stryker disable once Statement : a rented array not returned is collected; the MAC is the same
        ArrayPool<byte>.Shared.Return(utf8);
        return Convert.ToHexStringLower(mac);
    }

    [ThreadStatic]
    private static byte[]? t_hmacKey;

    [ThreadStatic]
    private static IncrementalHash? t_hmac;

    /// <summary>The key SigV4 derives from <paramref name="secret"/> for the scope's date, Region and service (four HMACs; the same for a whole day, so callers may keep it).</summary>
    public static byte[] SigningKey(string secret, Authorization scope)
    {
        byte[] key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(scope.Date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(scope.Region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(scope.Service));
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }

    /// <summary>
    /// The headers a client sends with an AWS JSON <c>POST /</c> it signs: content type, host, date, the session token
    /// if any, the target, and the Authorization over all of them. For the tests and the load generator, which send
    /// raw requests; the endpoint itself only checks signatures.
    /// </summary>
    internal static List<(string Name, string Value)> SignedJsonHeaders(string accessKey, string secret, string region, string service, string host, string target, ReadOnlySpan<byte> body, DateTimeOffset at, string? sessionToken = null)
    {
        string amzDate = at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        List<(string Name, string Value)> headers = [("content-type", "application/x-amz-json-1.1"), ("host", host), ("x-amz-date", amzDate)];
        if (sessionToken is not null)
        {
            headers.Add(("x-amz-security-token", sessionToken));
        }

        headers.Add(("x-amz-target", target));
        string[] signed = [.. headers.Select(h => h.Name).Order(StringComparer.Ordinal)];
        // Stryker disable once String : the scope's Signature member is a placeholder that signing never reads
        var scope = new Authorization(accessKey, amzDate[..8], region, service, signed, string.Empty);
        // Stryker disable once String : an empty path canonicalizes to "/" as "/" does
        string signature = Sign(secret, scope, StringToSign(amzDate, scope.Scope, CanonicalRequest("POST", "/", string.Empty, headers, signed, body)));
        headers.Add(("authorization", $"{Algorithm} Credential={accessKey}/{scope.Scope}, SignedHeaders={string.Join(';', signed)}, Signature={signature}"));
        return headers;
    }

    /// <summary>
    /// The same signed AWS JSON <c>POST</c> as an <see cref="HttpRequestMessage"/> to <paramref name="endpoint"/> (the
    /// host signed is the endpoint's authority, which HttpClient sends). For the tests and the load generator.
    /// </summary>
    internal static HttpRequestMessage SignedJsonRequest(Uri endpoint, string accessKey, string secret, string region, string service, string target, byte[] body, DateTimeOffset at)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        foreach ((string name, string value) in SignedJsonHeaders(accessKey, secret, region, service, endpoint.Authority, target, body, at))
        {
            if (name == "content-type")
            {
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(value);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value); // host too: the authority HttpClient would send
            }
        }

        return request;
    }

    /// <summary>Whether two signatures (hex) are equal, in constant time.</summary>
    public static bool Same(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(expected.AsSpan()), MemoryMarshal.AsBytes(given.AsSpan()));

    /// <summary><c>yyyyMMddTHHmmssZ</c>.</summary>
    public static bool TryParseAmzDate(string? text, out DateTimeOffset date) =>
        DateTimeOffset.TryParseExact(text, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out date);

    /// <summary>A header value trimmed, its runs of spaces folded to one (RFC: sequential spaces become one).</summary>
    private static string Fold(string value)
    {
        // Stryker disable once all : a fast path for values with nothing to fold; the loop below returns them unchanged too
        if (!value.Contains("  ", StringComparison.Ordinal) && (value.Length == 0 || (value[0] != ' ' && value[^1] != ' ')))
        {
            return value;
        }

        var folded = new StringBuilder(value.Length);
        // Stryker disable once Boolean : the trimmed value never starts with a space, so the first state is never read as true
        bool space = false;
        foreach (char c in value.Trim())
        {
            if (c == ' ')
            {
                if (!space)
                {
                    folded.Append(c);
                }

                space = true;
            }
            else
            {
                folded.Append(c);
                space = false;
            }
        }

        return folded.ToString();
    }

    /// <summary>The path normalized (dot segments removed, repeated slashes kept as AWS's non-S3 services remove them) and each segment encoded once more.</summary>
    private static string CanonicalPath(string path)
    {
        // Stryker disable once all : a fast path; the loop below makes "/" of an empty path and of "/" too
        if (string.IsNullOrEmpty(path) || path == "/")
        {
            return "/";
        }

        var segments = new List<string>();
        foreach (string segment in path.Split('/'))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                continue;
            }

            segments.Add(Encode(Uri.UnescapeDataString(segment)));
        }

        string joined = "/" + string.Join('/', segments);
        return path.EndsWith('/') && segments.Count > 0 ? joined + "/" : joined;
    }

    /// <summary>The query's parameters, each name and value encoded, sorted by name then value.</summary>
    private static string CanonicalQuery(string query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return string.Empty;
        }

        return string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(QueryParameter)
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={p.Value}"));
    }

    /// <summary>One <c>name=value</c> (or a bare <c>name</c>, whose value is empty) decoded, then encoded as SigV4 encodes it.</summary>
    private static (string Name, string Value) QueryParameter(string parameter)
    {
        int eq = parameter.IndexOf('=', StringComparison.Ordinal);
        if (eq < 0)
        {
            return (Encode(Uri.UnescapeDataString(parameter)), string.Empty);
        }

        return (Encode(Uri.UnescapeDataString(parameter[..eq])), Encode(Uri.UnescapeDataString(parameter[(eq + 1)..])));
    }

    /// <summary>RFC 3986 encoding: unreserved characters as they are, everything else as %XX of its UTF-8 bytes.</summary>
    private static string Encode(string text)
    {
        var encoded = new StringBuilder();
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            if (b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }
}
