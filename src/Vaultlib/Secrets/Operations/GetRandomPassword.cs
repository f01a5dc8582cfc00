using System.Security.Cryptography;
using Vaultlib.Pipeline;

namespace Vaultlib.Secrets.Operations;

/// <summary>
/// Secrets Manager <c>GetRandomPassword</c>: A password of exactly the length asked (1-4096, default 32), from a
/// cryptographic random number generator, of lowercase and uppercase letters, digits and punctuation (and spaces,
/// when asked) less the excluded ones; with <c>RequireEachIncludedType</c> (the default) at least one of each
/// included type other than the space.
/// </summary>
internal sealed class GetRandomPassword() : SmOperation<GetRandomPasswordRequest, AccountResource, GetRandomPasswordResponse>("GetRandomPassword", readOnly: true)
{
    public static GetRandomPassword Instance { get; } = new();

    private const string Lowercase = "abcdefghijklmnopqrstuvwxyz";
    private const string Uppercase = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Digits = "0123456789";
    private const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    public override void Validate(GetRandomPasswordRequest r)
    {
        if (r.PasswordLength is < 1 or > 4096)
        {
            throw new ValidationException("PasswordLength", "PasswordLength must be 1-4096.");
        }

        Internal.Validate.Length("ExcludeCharacters", r.ExcludeCharacters, 0, 4096, required: false);
    }

    public override ValueTask<AccountResource> ResolveAsync(SecretTable table, GetRandomPasswordRequest r, RequestContext context, CancellationToken cancellationToken) => new(table.Account);

    protected override GetRandomPasswordResponse Execute(SecretTable table, GetRandomPasswordRequest r, AccountResource resource, RequestContext context) =>
        new() { RandomPassword = Generate(r) };

    /// <summary>A password as the request describes, with AWS's refusals when none can be made.</summary>
    public static string Generate(GetRandomPasswordRequest r)
    {
        int length = (int)(r.PasswordLength ?? 32);
        string excluded = r.ExcludeCharacters ?? string.Empty;
        string[] types = [.. new[]
            {
                r.ExcludeLowercase == true ? string.Empty : Lowercase,
                r.ExcludeUppercase == true ? string.Empty : Uppercase,
                r.ExcludeNumbers == true ? string.Empty : Digits,
                r.ExcludePunctuation == true ? string.Empty : Punctuation,
            }
            .Select(set => new string([.. set.Where(c => !excluded.Contains(c, StringComparison.Ordinal))]))
            .Where(set => set.Length > 0)];
        string all = string.Concat(types) + (r.IncludeSpace == true && !excluded.Contains(' ', StringComparison.Ordinal) ? " " : string.Empty);
        if (all.Length == 0)
        {
            throw new InvalidParameterException("ExcludeCharacters", "The request excludes every character; no password can be made.");
        }

        bool eachType = r.RequireEachIncludedType ?? true;
        if (eachType && length < types.Length)
        {
            throw new InvalidParameterException("PasswordLength", $"A password with one character of each of the {types.Length} included types needs at least {types.Length} characters.");
        }

        char[] password = new char[length];
        try
        {
            int at = 0;
            if (eachType)
            {
                foreach (string set in types)
                {
                    password[at++] = set[RandomNumberGenerator.GetInt32(set.Length)];
                }
            }

            for (; at < length; at++)
            {
                password[at] = all[RandomNumberGenerator.GetInt32(all.Length)];
            }

            RandomNumberGenerator.Shuffle(password.AsSpan());
            return new string(password);
        }
        finally
        {
            Array.Clear(password);
        }
    }
}
