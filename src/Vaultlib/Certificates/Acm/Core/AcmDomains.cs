using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Vaultlib.Certificates.Acm;

/// <summary>
/// Domain names as ACM takes them (its pattern, 1-253 characters, a leading <c>*.</c> for a wildcard, at most 10 per
/// certificate, AWS's default quota), and what validates them: the DNS record, derived from the account's secret so
/// that it is the same for a domain in every certificate of the account, as ACM's is
/// (<c>_&lt;32 hex&gt;.&lt;domain&gt;.</c> → <c>_&lt;32 hex&gt;.&lt;10 letters&gt;.acm-validations.aws.</c>); the
/// addresses validation mail goes to; and the approval tokens.
/// </summary>
internal static partial class AcmDomains
{
    /// <summary>AWS's default quota of domain names per certificate.</summary>
    public const int MaxDomains = 10;

    /// <summary>How long a requested certificate waits for validation before VALIDATION_TIMED_OUT.</summary>
    public static readonly TimeSpan ValidationWindow = TimeSpan.FromHours(72);

    private static readonly string[] s_mailboxes = ["admin", "administrator", "hostmaster", "postmaster", "webmaster"];

    [GeneratedRegex(@"^(\*\.)?(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>Whether <paramref name="name"/> is a domain name ACM takes.</summary>
    public static bool IsValid(string? name) => name is { Length: <= 253 } && Pattern().IsMatch(name); // the pattern needs three characters

    /// <summary>The domain whose ownership proves <paramref name="domain"/>'s: itself, without a wildcard's <c>*.</c>.</summary>
    public static string Base(string domain) => (domain.StartsWith("*.", StringComparison.Ordinal) ? domain[2..] : domain).ToLowerInvariant();

    /// <summary>Whether <paramref name="validationDomain"/> is <paramref name="domain"/> or a superdomain of it (with at least two labels).</summary>
    public static bool Covers(string validationDomain, string domain)
    {
        string name = Base(domain);
        string candidate = validationDomain.ToLowerInvariant();
        return candidate.Contains('.', StringComparison.Ordinal)
            && (name == candidate || name.EndsWith("." + candidate, StringComparison.Ordinal));
    }

    /// <summary>The CNAME record (name, value) that validates <paramref name="validationDomain"/> for the account of <paramref name="secret"/>.</summary>
    public static (string Name, string Value) Record(ReadOnlySpan<byte> secret, string validationDomain)
    {
        string domain = validationDomain.ToLowerInvariant();
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes("name\0" + domain), mac);
        string name = $"_{Convert.ToHexStringLower(mac[..16])}.{domain}.";
        HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes("value\0" + domain), mac);
        var letters = new char[10];
        for (int i = 0; i < letters.Length; i++)
        {
            letters[i] = (char)('a' + (mac[16 + i] % 26));
        }

        return (name, $"_{Convert.ToHexStringLower(mac[..16])}.{new string(letters)}.acm-validations.aws.");
    }

    /// <summary>The addresses ACM mails for <paramref name="validationDomain"/>.</summary>
    public static IReadOnlyList<string> Contacts(string validationDomain) =>
        [.. s_mailboxes.Select(box => $"{box}@{validationDomain.ToLowerInvariant()}")];

    /// <summary>A new approval token (128 random bits, hex).</summary>
    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Whether two tokens are equal, in constant time.</summary>
    public static bool SameToken(string? held, string given) =>
        held is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(held), Encoding.ASCII.GetBytes(given));

    /// <summary>Whether a looked-up CNAME target is <paramref name="expected"/> (DNS names compare without case; the final dot is optional).</summary>
    public static bool SameTarget(string found, string expected) =>
        string.Equals(found.TrimEnd('.'), expected.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a certificate for <paramref name="pattern"/> (maybe a wildcard) serves <paramref name="host"/>.</summary>
    public static bool Serves(string pattern, string host)
    {
        if (pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            int dot = host.IndexOf('.', StringComparison.Ordinal);
            return dot > 0 && string.Equals(host[(dot + 1)..], pattern[2..], StringComparison.OrdinalIgnoreCase);
        }

        return string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
    }
}
