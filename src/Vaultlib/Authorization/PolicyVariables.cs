namespace Vaultlib.Authorization;

/// <summary>
/// IAM policy variables: <c>${key}</c> is replaced by the request's value of the context key
/// <c>key</c>, <c>${key, 'default'}</c> by the default when the request has none, and <c>${*}</c>,
/// <c>${?}</c>, <c>${$}</c> by the literal characters. A variable with no value and no default
/// makes the template match nothing.
/// </summary>
internal static class PolicyVariables
{
    /// <summary>
    /// What <c>${*}</c> becomes in a pattern that is matched with wildcards: a private-use character
    /// that <see cref="PolicyCondition.Glob"/> matches only to a literal <c>*</c>. AWS defines
    /// <c>${*}</c> and <c>${?}</c> as the literal characters, never as wildcards.
    /// </summary>
    internal const char LiteralStar = '\uF8FE';

    /// <summary>What <c>${?}</c> becomes in a wildcard pattern: matched only to a literal <c>?</c>.</summary>
    internal const char LiteralQuestionMark = '\uF8FF';

    /// <summary>
    /// The template with its variables replaced, or null when a variable has no value and no default.
    /// With <paramref name="wildcardPattern"/>, <c>${*}</c> and <c>${?}</c> become markers that match
    /// only the literal characters; otherwise they become the characters themselves.
    /// </summary>
    public static string? Substitute(string template, IReadOnlyDictionary<string, IReadOnlyList<string>> context, bool wildcardPattern)
    {
        int start = template.IndexOf("${", StringComparison.Ordinal);
        // Stryker disable once all : a fast path: without it, the loop below returns the same string
        if (start < 0)
        {
            return template;
        }

        var result = new System.Text.StringBuilder(template.Length);
        int position = 0;
        while (start >= 0)
        {
            int end = template.IndexOf('}', start + 2);
            // Stryker disable once all : end is at least start + 2, never 0
            if (end < 0)
            {
                break; // not a variable: kept as written
            }

            result.Append(template, position, start - position);
            string body = template[(start + 2)..end].Trim();
            string? value = body switch
            {
                "*" => wildcardPattern ? LiteralStar.ToString() : "*",
                "?" => wildcardPattern ? LiteralQuestionMark.ToString() : "?",
                "$" => "$",
                _ => Resolve(body, context),
            };
            if (value is null)
            {
                return null;
            }

            result.Append(value);
            position = end + 1;
            start = template.IndexOf("${", position, StringComparison.Ordinal);
        }

        result.Append(template, position, template.Length - position);
        return result.ToString();
    }

    private static string? Resolve(string body, IReadOnlyDictionary<string, IReadOnlyList<string>> context)
    {
        string key = body;
        string? fallback = null;
        int comma = body.IndexOf(',', StringComparison.Ordinal);
        if (comma >= 0)
        {
            key = body[..comma].Trim();
            string rest = body[(comma + 1)..].Trim();
            if (rest.Length >= 2 && rest[0] == '\'' && rest[^1] == '\'')
            {
                fallback = rest[1..^1];
            }
        }

        // Only single-valued keys stand for one value; a multi-valued one has no single substitute.
        return context.TryGetValue(key, out IReadOnlyList<string>? values) && values.Count == 1 ? values[0] : fallback;
    }
}
