using System.Security.Cryptography;

namespace Vaultlib.Secrets;

/// <summary>
/// Secrets Manager's rules for names, ids, tokens and labels, and how a <c>SecretId</c> names a secret: by its
/// name, its full ARN (with the six random characters), or its partial ARN (without them).
/// </summary>
internal static class SecretNames
{
    public const int MaxNameLength = 512;
    private const string SuffixAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>A name to create: 1-512 of ASCII letters, digits and <c>/_+=.@-</c>.</summary>
    public static void ValidateName(string? name)
    {
        Internal.Validate.Length("Name", name, 1, MaxNameLength);
        foreach (char c in name!)
        {
            if (!char.IsAsciiLetterOrDigit(c) && "/_+=.@-".IndexOf(c, StringComparison.Ordinal) < 0)
            {
                throw new InvalidParameterException("Name", "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!");
            }
        }
    }

    /// <summary>A <c>SecretId</c>: 1-2,048 characters.</summary>
    public static void ValidateId(string? secretId, string member = "SecretId") => Internal.Validate.Length(member, secretId, 1, 2048);

    /// <summary>A <c>ClientRequestToken</c> or version id: 32-64 characters.</summary>
    public static void ValidateToken(string? token, string member) => Internal.Validate.Length(member, token, 32, 64, required: false);

    /// <summary>A staging label: 1-256 characters.</summary>
    public static void ValidateStage(string? stage, string member) => Internal.Validate.Length(member, stage, 1, 256);

    /// <summary>A new secret's ARN: <c>arn:aws:secretsmanager:&lt;region&gt;:&lt;account&gt;:secret:&lt;name&gt;-</c> and six random letters and digits.</summary>
    public static string NewArn(string prefix, string name) =>
        $"{prefix}{name}-{RandomNumberGenerator.GetString(SuffixAlphabet, 6)}";

    /// <summary>
    /// The name a <c>SecretId</c> refers to and, for a full ARN, the ARN it must match: an id beginning with
    /// <paramref name="arnPrefix"/> is an ARN (full when the secret of the name without its last seven characters
    /// has exactly that ARN, else partial); anything else is a name.
    /// </summary>
    public static IEnumerable<(string Name, string? Arn)> Candidates(string secretId, string arnPrefix)
    {
        if (!secretId.StartsWith(arnPrefix, StringComparison.Ordinal))
        {
            yield return (secretId, null);
            yield break;
        }

        string rest = secretId[arnPrefix.Length..];
        if (rest.Length > 7 && rest[^7] == '-')
        {
            yield return (rest[..^7], secretId);
        }

        yield return (rest, null);
    }
}
