using System.Collections.Concurrent;
using Vaultlib.Authorization;

namespace Vaultlib.AwsProtocol;

/// <summary>
/// The access keys the endpoint accepts, each mapped to the principal it stands for (as IAM maps a user's or role's
/// keys), with the secret its signatures are made with and, for temporary credentials, the session token the requests
/// must carry. Secrets are kept only to check signatures, and never shown.
/// </summary>
public sealed class AwsCredentials
{
    /// <summary>How far a request's <c>X-Amz-Date</c> may be from the endpoint's clock, as AWS allows.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Key> _keys = new(StringComparer.Ordinal);
    private string? _anonymousPrincipal;

    /// <summary>Accepts <paramref name="accessKeyId"/>, signed with <paramref name="secretAccessKey"/>, as <paramref name="principalArn"/>.</summary>
    /// <param name="accessKeyId">The access key id (what clients send).</param>
    /// <param name="secretAccessKey">The secret key (what clients sign with).</param>
    /// <param name="principalArn">The IAM principal, e.g. <c>arn:aws:iam::111122223333:user/alice</c>.</param>
    /// <param name="sessionToken">For temporary credentials: the token every request must carry in <c>X-Amz-Security-Token</c>.</param>
    /// <returns>This map.</returns>
    public AwsCredentials Add(string accessKeyId, string secretAccessKey, string principalArn, string? sessionToken = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessKeyId);
        ArgumentException.ThrowIfNullOrEmpty(secretAccessKey);
        ArgumentException.ThrowIfNullOrEmpty(principalArn);
        _keys[accessKeyId] = new Key(secretAccessKey, principalArn, sessionToken);
        return this;
    }

    /// <summary>
    /// Accepts requests that carry no signature at all as <paramref name="principalArn"/> (policies then decide what it
    /// may do, as for an anonymous caller of an AWS resource policy's <c>"Principal": "*"</c>). Off unless called: by
    /// default an unsigned request is refused with <c>MissingAuthenticationTokenException</c>. A request that carries a
    /// signature is always checked, and refused if it is wrong.
    /// </summary>
    /// <param name="principalArn">The principal unsigned requests stand for, e.g. <c>arn:aws:iam::111122223333:user/anonymous</c>.</param>
    /// <returns>This map.</returns>
    public AwsCredentials AllowAnonymous(string principalArn)
    {
        ArgumentException.ThrowIfNullOrEmpty(principalArn);
        _anonymousPrincipal = principalArn;
        return this;
    }

    /// <summary>
    /// Checks a request's SigV4 signature as AWS does and returns its Region and caller: the credential scope's
    /// service must be <paramref name="service"/> and its date the request's; <c>host</c> and <c>x-amz-date</c> must be
    /// signed; the date within <see cref="ClockSkew"/> of <paramref name="now"/>; the signature the one the secret makes
    /// over the request as received (its body hashed here). For a target of no service here (<paramref name="service"/>
    /// null) the scope's service is not compared; the request is then answered as an unknown operation. A request that fails
    /// gets an AWS-named error:
    /// <c>MissingAuthenticationTokenException</c>, <c>IncompleteSignatureException</c>, <c>UnrecognizedClientException</c>,
    /// <c>InvalidSignatureException</c> (a wrong or expired signature). An unsigned request allowed by
    /// <see cref="AllowAnonymous"/> has the Region of its host name (<c>kms.eu-west-1.amazonaws.com</c>), or none.
    /// </summary>
    internal (string? Region, CallerIdentity Caller) Authenticate(AwsSignedRequest request, string? service, DateTimeOffset now)
    {
        string? header = request.Header("authorization");
        // Nullable locals and pre-assigned out variables, not pattern variables behind && or ||, so that every
        // mutation of these conditions still compiles (docs/testing.md).
        string? anonymous = _anonymousPrincipal;
        if (header is null && anonymous is not null && request.Header("x-amz-security-token") is null)
        {
            return (RegionOfHost(request.Header("host")), new CallerIdentity { Principal = anonymous, UserId = "anonymous" });
        }

        if (header is null)
        {
            throw new AwsAuthException("MissingAuthenticationTokenException", "Request is missing Authentication Token");
        }

        SigV4.Authorization authorization = SigV4.Parse(header)
            ?? throw new AwsAuthException("IncompleteSignatureException", "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' of the AWS4-HMAC-SHA256 scheme.");
        if (!authorization.SignedHeaders.Contains("host") || !authorization.SignedHeaders.Contains("x-amz-date")
            || !Sorted(authorization.SignedHeaders))
        {
            throw new AwsAuthException("IncompleteSignatureException", "The signed headers must be sorted, each named once, and include host and x-amz-date.");
        }

        Key? key = null;
        if (!_keys.TryGetValue(authorization.AccessKeyId, out key))
        {
            throw new AwsAuthException("UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        string? token = key.SessionToken;
        string? given = request.Header("x-amz-security-token");
        if (token is not null && (given is null || !SigV4.Same(token, given)))
        {
            throw new AwsAuthException("UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        // Stryker disable once String : any text that is not a date is refused as the empty one is
        string amzDate = request.Header("x-amz-date") ?? string.Empty;
        DateTimeOffset date = default;
        if (!SigV4.TryParseAmzDate(amzDate, out date) || !amzDate.StartsWith(authorization.Date, StringComparison.Ordinal))
        {
            throw new AwsAuthException("IncompleteSignatureException", "The X-Amz-Date header is not the credential scope's date in yyyyMMddTHHmmssZ.");
        }

        // A target of no service here (service null) is refused as an unknown operation once its signature holds.
        if (service is not null && authorization.Service != service)
        {
            throw new AwsAuthException("InvalidSignatureException", $"Credential should be scoped to correct service: '{service}'.");
        }

        Span<byte> canonicalHash = stackalloc byte[32];
        SigV4.CanonicalRequestHash(request.Method, request.Path, request.Query, request.Headers, authorization.SignedHeaders, request.Body.Span, canonicalHash);
        // Stryker disable once Boolean : keptKey only lets the thread keep its HMAC state; the signature is the same
        string expected = SigV4.Sign(key.SigningKey(authorization), SigV4.StringToSign(amzDate, authorization.Scope, canonicalHash), keptKey: true);
        if (!SigV4.Same(expected, authorization.Signature))
        {
            throw new AwsAuthException("InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.");
        }

        if ((now - date).Duration() > ClockSkew)
        {
            throw new AwsAuthException("InvalidSignatureException", $"Signature expired: {amzDate} is now earlier than {(now - ClockSkew).UtcDateTime:yyyyMMdd'T'HHmmss'Z'} ({now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'} - 5 min.)");
        }

        return (authorization.Region, new CallerIdentity { Principal = key.PrincipalArn, UserId = authorization.AccessKeyId });
    }

    /// <summary>Whether the signed header names are sorted, each once.</summary>
    private static bool Sorted(IReadOnlyList<string> names)
    {
        for (int i = 1; i < names.Count; i++)
        {
            if (string.CompareOrdinal(names[i - 1], names[i]) >= 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The Region of an AWS-style host name (<c>kms.eu-west-1.amazonaws.com</c>), for unsigned requests, which carry no credential scope.</summary>
    private static string? RegionOfHost(string? host) =>
        host?.Split('.') is [_, var region, "amazonaws", ..] && region.Count(c => c == '-') >= 2 ? region : null;

    /// <summary>Identity only: how many keys, never which secrets.</summary>
    public override string ToString() => $"AwsCredentials({_keys.Count} access keys{(_anonymousPrincipal is null ? string.Empty : ", anonymous allowed")})";

    /// <summary>One access key: a class, not a record, so that nothing prints its secret.</summary>
    private sealed class Key(string secret, string principalArn, string? sessionToken)
    {
        /// <summary>Signing keys derived for the scopes this key signed recently (a day's date, Region, service), as AWS's own SDKs keep them.</summary>
        private readonly ConcurrentDictionary<string, byte[]> _signingKeys = new(StringComparer.Ordinal);

        public string PrincipalArn { get; } = principalArn;

        public string? SessionToken { get; } = sessionToken;

        // Stryker disable once all : the cache and its eviction at 64 scopes change how often a key is derived, never the key
        public byte[] SigningKey(SigV4.Authorization scope)
        {
            if (_signingKeys.TryGetValue(scope.Scope, out byte[]? known))
            {
                return known;
            }

            if (_signingKeys.Count >= 64)
            {
                _signingKeys.Clear(); // old days and scopes: derived again when used
            }

            return _signingKeys.GetOrAdd(scope.Scope, _ => SigV4.SigningKey(secret, scope));
        }
    }
}

/// <summary>A request as a signature is checked over it: as received, before anything is decoded.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path as received (percent-encoded).</param>
/// <param name="Query">The query string, without its <c>?</c>.</param>
/// <param name="Headers">Every header (name, value), in the order received.</param>
/// <param name="Body">The body.</param>
internal sealed record AwsSignedRequest(string Method, string Path, string Query, IReadOnlyList<(string Name, string Value)> Headers, ReadOnlyMemory<byte> Body)
{
    /// <summary>The first value of a header, by name without case.</summary>
    public string? Header(string name) => Headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>A request that is not authenticated, with AWS's error code for why.</summary>
internal sealed class AwsAuthException(string errorCode, string message) : VaultlibException(errorCode, message);
