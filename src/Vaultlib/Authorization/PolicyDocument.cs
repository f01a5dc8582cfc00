using System.Collections.ObjectModel;
using System.Text.Json;

namespace Vaultlib.Authorization;

/// <summary>Allow or Deny.</summary>
public enum PolicyEffect
{
    /// <summary>The statement allows what it matches.</summary>
    Allow,

    /// <summary>The statement denies what it matches; an explicit deny always wins.</summary>
    Deny,
}

/// <summary>
/// A policy document in IAM's JSON grammar: Version, Id, and statements with Sid, Effect,
/// Principal/NotPrincipal, Action/NotAction, Resource/NotResource and Condition. Immutable.
/// </summary>
public sealed class PolicyDocument
{
    private PolicyDocument(string? version, string? id, IReadOnlyList<PolicyStatement> statements)
    {
        Version = version;
        Id = id;
        Statements = statements;
    }

    /// <summary>The policy language version (<c>2012-10-17</c> or <c>2008-10-17</c>).</summary>
    public string? Version { get; }

    /// <summary>The optional policy id.</summary>
    public string? Id { get; }

    /// <summary>The statements, in document order.</summary>
    public IReadOnlyList<PolicyStatement> Statements { get; }

    /// <summary>Parses a policy; anything outside the grammar is a <see cref="PolicyDocumentException"/> naming its place.</summary>
    /// <exception cref="PolicyDocumentException">The document is not valid JSON or not a valid policy.</exception>
    public static PolicyDocument Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return ParseCore(json);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            // Strings that are not valid UTF-16 (a lone surrogate, raw or escaped) and other
            // malformations the JSON reader reports by other exception types: still a malformed policy.
            throw new PolicyDocumentException(string.Empty, $"The policy cannot be read: it contains text that is not valid Unicode, or a malformed value ({ex.GetType().Name}).");
        }
    }

    private static PolicyDocument ParseCore(string json)
    {
        // The parse's failure is kept and thrown after the try, so that the document is assigned on every path and each
        // check below can be mutated and still compile.
        JsonDocument? document = null;
        JsonException? invalid = null;
        try
        {
            // Stryker disable once all : a bound on work only: every document nested deeper than 16 levels breaks the grammar and is refused anyway
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            invalid = ex;
        }

        if (invalid is not null)
        {
            throw new PolicyDocumentException(string.Empty, $"The policy is not valid JSON (line {invalid.LineNumber + 1}, byte {invalid.BytePositionInLine + 1}).");
        }

        using (document)
        {
            JsonElement root = document!.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Malformed(string.Empty, "The policy must be a JSON object.");
            }

            RejectUnknown(root, string.Empty, "Version", "Id", "Statement");
            string? version = OptionalString(root, "Version", string.Empty);
            if (version is not null and not ("2012-10-17" or "2008-10-17"))
            {
                throw Malformed("Version", $"'{version}' is not a policy language version; use 2012-10-17.");
            }

            if (!root.TryGetProperty("Statement", out JsonElement statementElement))
            {
                throw Malformed(string.Empty, "The policy has no Statement.");
            }

            var statements = new List<PolicyStatement>();
            if (statementElement.ValueKind == JsonValueKind.Object)
            {
                statements.Add(PolicyStatement.Parse(statementElement, "Statement", variables: version == "2012-10-17"));
            }
            else if (statementElement.ValueKind == JsonValueKind.Array)
            {
                int i = 0;
                foreach (JsonElement element in statementElement.EnumerateArray())
                {
                    statements.Add(PolicyStatement.Parse(element, $"Statement[{i++}]", variables: version == "2012-10-17"));
                }
            }
            else
            {
                throw Malformed("Statement", "Statement must be an object or an array of objects.");
            }

            if (statements.Count == 0)
            {
                throw Malformed("Statement", "The policy has no statements.");
            }

            var sids = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < statements.Count; i++)
            {
                string? sid = statements[i].Sid;
                if (sid is not null && !sids.Add(sid))
                {
                    throw Malformed($"Statement[{i}].Sid", $"The Sid '{sid}' is used by more than one statement.");
                }
            }

            return new PolicyDocument(version, OptionalString(root, "Id", string.Empty), statements.AsReadOnly());
        }
    }

    internal static PolicyDocumentException Malformed(string location, string message) => new(location, message);

    internal static void RejectUnknown(JsonElement element, string location, params string[] allowed)
    {
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                throw Malformed(Join(location, property.Name), $"'{property.Name}' is not a policy element here; expected one of {string.Join(", ", allowed)}.");
            }
        }
    }

    internal static string? OptionalString(JsonElement element, string name, string location)
    {
        if (!element.TryGetProperty(name, out JsonElement value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Malformed(Join(location, name), $"{name} must be a string.");
    }

    /// <summary>A string or an array of strings, as IAM accepts for Action, Resource and condition values.</summary>
    internal static IReadOnlyList<string> StringOrArray(JsonElement value, string location)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return [value.GetString()!];
            case JsonValueKind.Array:
                var values = new List<string>();
                int i = 0;
                foreach (JsonElement item in value.EnumerateArray())
                {
                    values.Add(item.ValueKind switch
                    {
                        JsonValueKind.String => item.GetString()!,
                        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => item.GetRawText(),
                        _ => throw Malformed($"{location}[{i}]", "Values must be strings."),
                    });
                    i++;
                }

                if (values.Count == 0)
                {
                    throw Malformed(location, "The list is empty.");
                }

                return values.AsReadOnly();
            case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                return [value.GetRawText()];
            default:
                throw Malformed(location, "Expected a string or an array of strings.");
        }
    }

    internal static string Join(string location, string name) => location.Length == 0 ? name : $"{location}.{name}";
}

/// <summary>One statement of a <see cref="PolicyDocument"/>.</summary>
public sealed class PolicyStatement
{
    private PolicyStatement()
    {
    }

    /// <summary>The optional statement id.</summary>
    public string? Sid { get; private init; }

    /// <summary>Allow or Deny.</summary>
    public PolicyEffect Effect { get; private init; }

    /// <summary>Who the statement is about (null when it uses <see cref="NotPrincipal"/>, or names no one: identity policies).</summary>
    public PrincipalSet? Principal { get; private init; }

    /// <summary>Everyone except these.</summary>
    public PrincipalSet? NotPrincipal { get; private init; }

    /// <summary>The actions matched (wildcards allowed), or null with <see cref="NotAction"/>.</summary>
    public IReadOnlyList<string>? Action { get; private init; }

    /// <summary>Every action except these.</summary>
    public IReadOnlyList<string>? NotAction { get; private init; }

    /// <summary>
    /// Whether policy variables (<c>${aws:username}</c>, <c>${aws:PrincipalTag/team, 'none'}</c>) in
    /// Resource, NotResource and string or ARN condition values are substituted from the request:
    /// only in documents of <c>"Version": "2012-10-17"</c>, as in IAM.
    /// </summary>
    public bool UsesVariables { get; private init; }

    /// <summary>The resources matched (wildcards allowed); null with <see cref="NotResource"/> or when absent.</summary>
    public IReadOnlyList<string>? Resource { get; private init; }

    /// <summary>Every resource except these.</summary>
    public IReadOnlyList<string>? NotResource { get; private init; }

    /// <summary>The condition block: every entry must hold.</summary>
    public IReadOnlyList<PolicyCondition> Conditions { get; private init; } = [];

    internal static PolicyStatement Parse(JsonElement element, string location, bool variables)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw PolicyDocument.Malformed(location, "A statement must be a JSON object.");
        }

        PolicyDocument.RejectUnknown(element, location, "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition");
        string? effect = PolicyDocument.OptionalString(element, "Effect", location);
        PolicyEffect parsedEffect = effect switch
        {
            "Allow" => PolicyEffect.Allow,
            "Deny" => PolicyEffect.Deny,
            null => throw PolicyDocument.Malformed(location, "The statement has no Effect."),
            _ => throw PolicyDocument.Malformed($"{location}.Effect", $"'{effect}' is not an effect; use Allow or Deny."),
        };

        IReadOnlyList<string>? action = Optional(element, "Action", location);
        IReadOnlyList<string>? notAction = Optional(element, "NotAction", location);
        if ((action is null) == (notAction is null))
        {
            throw PolicyDocument.Malformed(location, "A statement needs exactly one of Action and NotAction.");
        }

        IReadOnlyList<string>? resource = Optional(element, "Resource", location);
        IReadOnlyList<string>? notResource = Optional(element, "NotResource", location);
        if (resource is not null && notResource is not null)
        {
            throw PolicyDocument.Malformed(location, "A statement cannot have both Resource and NotResource.");
        }

        PrincipalSet? principal = element.TryGetProperty(nameof(Principal), out JsonElement p) ? PrincipalSet.Parse(p, $"{location}.Principal") : null;
        PrincipalSet? notPrincipal = element.TryGetProperty(nameof(NotPrincipal), out JsonElement np) ? PrincipalSet.Parse(np, $"{location}.NotPrincipal") : null;
        if (principal is not null && notPrincipal is not null)
        {
            throw PolicyDocument.Malformed(location, "A statement cannot have both Principal and NotPrincipal.");
        }

        foreach ((string name, IReadOnlyList<string>? list) in new[] { ("Action", action), ("NotAction", notAction) })
        {
            for (int i = 0; list is not null && i < list.Count; i++)
            {
                if (list[i] != "*" && !list[i].Contains(':', StringComparison.Ordinal))
                {
                    throw PolicyDocument.Malformed($"{location}.{name}[{i}]", $"'{list[i]}' is not an action; actions are service:Operation, e.g. kms:Encrypt.");
                }
            }
        }

        return new PolicyStatement
        {
            UsesVariables = variables,
            Sid = PolicyDocument.OptionalString(element, "Sid", location),
            Effect = parsedEffect,
            Principal = principal,
            NotPrincipal = notPrincipal,
            Action = action,
            NotAction = notAction,
            Resource = resource,
            NotResource = notResource,
            Conditions = element.TryGetProperty("Condition", out JsonElement condition) ? PolicyCondition.ParseBlock(condition, $"{location}.Condition") : [],
        };
    }

    private static IReadOnlyList<string>? Optional(JsonElement element, string name, string location) =>
        element.TryGetProperty(name, out JsonElement value) ? PolicyDocument.StringOrArray(value, $"{location}.{name}") : null;

    /// <summary>The Sid, or the statement's effect when it has none.</summary>
    public override string ToString() => Sid ?? $"({Effect} statement)";
}

/// <summary>A Principal or NotPrincipal element: <c>"*"</c>, or AWS principals, services and federated identities.</summary>
public sealed class PrincipalSet
{
    private PrincipalSet(bool everyone, IReadOnlyDictionary<string, IReadOnlyList<string>> byType)
    {
        IsEveryone = everyone;
        ByType = byType;
    }

    /// <summary>True for <c>"*"</c> or <c>{"AWS": "*"}</c>.</summary>
    public bool IsEveryone { get; }

    /// <summary>Principals by type: <c>AWS</c>, <c>Service</c>, <c>Federated</c>, <c>CanonicalUser</c>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ByType { get; }

    internal static PrincipalSet Parse(JsonElement element, string location)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return element.GetString() == "*"
                ? new PrincipalSet(true, ReadOnlyDictionary<string, IReadOnlyList<string>>.Empty)
                : throw PolicyDocument.Malformed(location, "A principal given as a string must be \"*\"; otherwise use {\"AWS\": ...}.");
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw PolicyDocument.Malformed(location, "A principal must be \"*\" or an object such as {\"AWS\": \"arn:aws:iam::111122223333:root\"}.");
        }

        PolicyDocument.RejectUnknown(element, location, "AWS", "Service", "Federated", "CanonicalUser");
        var byType = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        bool everyone = false;
        foreach (JsonProperty property in element.EnumerateObject())
        {
            IReadOnlyList<string> values = PolicyDocument.StringOrArray(property.Value, $"{location}.{property.Name}");
            for (int i = 0; i < values.Count; i++)
            {
                string value = values[i];
                if (value == "*")
                {
                    everyone |= property.Name == "AWS";
                    continue;
                }

                if (property.Name == "AWS" && !IsAccountId(value) && !value.StartsWith("arn:", StringComparison.Ordinal))
                {
                    throw PolicyDocument.Malformed($"{location}.AWS[{i}]", $"'{value}' is not an AWS principal: use a 12-digit account id or an ARN.");
                }

                if (property.Name == "AWS" && value.Contains('*', StringComparison.Ordinal))
                {
                    throw PolicyDocument.Malformed($"{location}.AWS[{i}]", "Wildcards are not allowed in principal ARNs; use \"*\" with an aws:PrincipalArn condition.");
                }
            }

            byType[property.Name] = values;
        }

        return new PrincipalSet(everyone, byType.AsReadOnly());
    }

    internal static bool IsAccountId(string value) => value.Length == 12 && value.All(char.IsAsciiDigit);
}
