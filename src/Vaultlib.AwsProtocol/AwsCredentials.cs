using System.Collections.Concurrent;
using Vaultlib.Authorization;

namespace Vaultlib.AwsProtocol;

/// <summary>
/// The access keys the endpoint accepts, each mapped to the principal it stands for (as IAM maps a user's or role's
/// keys), and the secret its signatures are made with. The secret is kept only to check signatures, and never shown.
/// </summary>
public sealed class AwsCredentials
{
    private readonly ConcurrentDictionary<string, (string Secret, string PrincipalArn)> _keys = new(StringComparer.Ordinal);

    /// <summary>Accepts <paramref name="accessKeyId"/>, signed with <paramref name="secretAccessKey"/>, as <paramref name="principalArn"/>.</summary>
    /// <param name="accessKeyId">The access key id (what clients send).</param>
    /// <param name="secretAccessKey">The secret key (what clients sign with).</param>
    /// <param name="principalArn">The IAM principal, e.g. <c>arn:aws:iam::111122223333:user/alice</c>.</param>
    /// <returns>This map.</returns>
    public AwsCredentials Add(string accessKeyId, string secretAccessKey, string principalArn)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessKeyId);
        ArgumentException.ThrowIfNullOrEmpty(secretAccessKey);
        ArgumentException.ThrowIfNullOrEmpty(principalArn);
        _keys[accessKeyId] = (secretAccessKey, principalArn);
        return this;
    }

    /// <summary>The Region and caller of a request, from its <c>Authorization</c> header's credential (<c>AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request, …</c>).</summary>
    internal (string Region, CallerIdentity Caller) Authenticate(string? authorization)
    {
        const string Scheme = "AWS4-HMAC-SHA256 ";
        const string Credential = "Credential=";
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.Ordinal))
        {
            throw new AwsAuthException("MissingAuthenticationTokenException", "Request is missing Authentication Token");
        }

        int at = authorization.IndexOf(Credential, StringComparison.Ordinal);
        string credential = at < 0 ? string.Empty : authorization[(at + Credential.Length)..].Split(',')[0].Trim();
        string[] scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            throw new AwsAuthException("IncompleteSignatureException", "The request signature's credential is not AKID/date/region/service/aws4_request.");
        }

        if (!_keys.TryGetValue(scope[0], out (string Secret, string PrincipalArn) key))
        {
            throw new AwsAuthException("UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        return (scope[2], new CallerIdentity { Principal = key.PrincipalArn, UserId = scope[0] });
    }

    /// <summary>Identity only: how many keys, never which secrets.</summary>
    public override string ToString() => $"AwsCredentials({_keys.Count} access keys)";
}

/// <summary>A request that is not authenticated, with AWS's error code for why.</summary>
internal sealed class AwsAuthException(string errorCode, string message) : VaultlibException(errorCode, message);
