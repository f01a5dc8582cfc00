using System.Text.RegularExpressions;

namespace Vaultlib.Parameters;

/// <summary>
/// SSM's rules for parameter names, paths, selectors and labels. A name's identity is the name
/// without its leading <c>/</c>: <c>/db</c> and <c>db</c> are one parameter (their ARNs are the same),
/// as are the names a request gives with and without it.
/// </summary>
internal static partial class ParameterNames
{
    public const int MaxNameLength = 1011;
    public const int MaxLevels = 15;

    /// <summary>The identity of a name: without its leading <c>/</c>.</summary>
    public static string Key(string name) => name.StartsWith('/') ? name[1..] : name;

    /// <summary>The identity of a name as a span of it, for lookups and checks that need no string of their own.</summary>
    public static ReadOnlySpan<char> KeySpan(string name) => name.AsSpan(name.StartsWith('/') ? 1 : 0);

    /// <summary>Checks a name to create or read, with AWS's errors.</summary>
    public static void Validate(string name, string member = "Name")
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            throw new ValidationException(member, $"{member} must be 1-{MaxNameLength} characters.");
        }

        ReadOnlySpan<char> key = KeySpan(name);
        if (key.Contains('/') && !name.StartsWith('/'))
        {
            throw new ValidationException(member, "Parameter name must be a fully qualified name: a name in a hierarchy begins with a forward slash (/).");
        }

        if (key.IsEmpty || !NamePattern().IsMatch(key) || key.Contains("//", StringComparison.Ordinal) || key.EndsWith('/'))
        {
            throw new ValidationException(member, "The parameter name can use only letters, numbers, and . - _, with sub-paths divided by a forward slash (/); no segment may be empty.");
        }

        if (key.StartsWith("aws", StringComparison.OrdinalIgnoreCase) || key.StartsWith("ssm", StringComparison.OrdinalIgnoreCase))
        {
            throw new ValidationException(member, "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive).");
        }

        if (key.Count('/') + 1 > MaxLevels)
        {
            throw new HierarchyLevelLimitExceededException($"A parameter name can have at most {MaxLevels} levels.");
        }
    }

    /// <summary>A GetParametersByPath path: <c>/</c>, or a hierarchy of at most 15 levels beginning with <c>/</c>, with or without a trailing <c>/</c>. Returns it without the trailing one.</summary>
    public static string ValidatePath(string path)
    {
        // No length check of its own: every path but the root is checked as a name below, whose 1,011 characters are
        // fewer than the member's 2,048.
        if (path is null || !path.StartsWith('/'))
        {
            throw new ValidationException("Path", "The path must begin with a forward slash (/).");
        }

        string trimmed = Trim(path);
        if (trimmed == "/" && path.Length > 1)
        {
            throw new ValidationException("Path", "The path // has an empty segment; the root path is /.");
        }

        if (trimmed != "/")
        {
            Validate(trimmed, "Path");
        }

        return trimmed;
    }

    /// <summary>A path without its trailing <c>/</c> (<c>/</c> stays itself); for a path already validated.</summary>
    public static string Trim(string path) => path.Length > 1 && path.EndsWith('/') ? path[..^1] : path;

    /// <summary>Splits <c>name:selector</c>: a version number or a label after the last colon.</summary>
    public static (string Name, string? Selector) SplitSelector(string value)
    {
        int colon = value.LastIndexOf(':');
        return colon > 0 && colon < value.Length - 1 ? (value[..colon], value[(colon + 1)..]) : (value, null);
    }

    /// <summary>Whether <paramref name="name"/> is directly under (or, recursively, anywhere under) <paramref name="path"/>.</summary>
    public static bool IsUnder(string name, string path, bool recursive) =>
        IsUnderPrefix(Key(name), path == "/" ? string.Empty : Key(path) + "/", recursive);

    /// <summary>
    /// Whether the identity <paramref name="key"/> is under the path whose identity prefix (<c>a/b/</c>, or empty for
    /// <c>/</c>) is <paramref name="prefix"/>. A key is never empty and never ends in <c>/</c>, so one that begins with
    /// the prefix is longer than it.
    /// </summary>
    public static bool IsUnderPrefix(string key, string prefix, bool recursive) =>
        key.StartsWith(prefix, StringComparison.Ordinal) && (recursive || !key.AsSpan(prefix.Length).Contains('/'));

    /// <summary>AWS's label rules: 1-100 characters of letters, digits, <c>.</c>, <c>-</c> and <c>_</c>; not beginning with <c>aws</c>, <c>ssm</c> (case-insensitive) or a digit.</summary>
    public static bool IsValidLabel(string label) =>
        label.Length is >= 1 and <= 100
        && LabelPattern().IsMatch(label)
        && !char.IsAsciiDigit(label[0])
        && !label.StartsWith("aws", StringComparison.OrdinalIgnoreCase)
        && !label.StartsWith("ssm", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex("^[a-zA-Z0-9_.\\-/]+\\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-zA-Z0-9_.\\-]+\\z", RegexOptions.CultureInvariant)]
    private static partial Regex LabelPattern();
}
