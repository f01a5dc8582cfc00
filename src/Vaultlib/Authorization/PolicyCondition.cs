using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Vaultlib.Authorization;

/// <summary>How a condition treats a multi-valued request key.</summary>
public enum ConditionSetQualifier
{
    /// <summary>No qualifier: any request value may match (negated operators: none may match).</summary>
    None,

    /// <summary><c>ForAnyValue:</c> at least one request value must match; false when the key is absent.</summary>
    ForAnyValue,

    /// <summary><c>ForAllValues:</c> every request value must match; true when the key is absent or empty.</summary>
    ForAllValues,
}

/// <summary>
/// One condition of a statement: an operator (with its qualifier and <c>IfExists</c>), a context key
/// and the values it is compared with. Keys compare case-insensitively, as in IAM.
/// </summary>
public sealed class PolicyCondition
{
    private static readonly string[] s_operators =
    [
        "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
        "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
        "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
        "Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
    ];

    private PolicyCondition(string @operator, ConditionSetQualifier qualifier, bool ifExists, string key, IReadOnlyList<string> values)
    {
        Operator = @operator;
        Qualifier = qualifier;
        IfExists = ifExists;
        Key = key;
        Values = values;
    }

    /// <summary>The base operator, e.g. <c>StringEquals</c>.</summary>
    public string Operator { get; }

    /// <summary>The set qualifier.</summary>
    public ConditionSetQualifier Qualifier { get; }

    /// <summary>True for <c>…IfExists</c>: a missing key satisfies the condition.</summary>
    public bool IfExists { get; }

    /// <summary>The context key, e.g. <c>kms:EncryptionContext:tenant</c>.</summary>
    public string Key { get; }

    /// <summary>The policy's values (any of them may match).</summary>
    public IReadOnlyList<string> Values { get; }

    private bool Negated => Operator is "StringNotEquals" or "StringNotEqualsIgnoreCase" or "StringNotLike" or "NumericNotEquals" or "DateNotEquals" or "NotIpAddress" or "ArnNotEquals" or "ArnNotLike";

    /// <summary>Whether the condition holds for the request's context keys (policy values taken as written).</summary>
    public bool Evaluate(IReadOnlyDictionary<string, IReadOnlyList<string>> context) => Evaluate(context, substituteVariables: false);

    /// <summary>
    /// Whether the condition holds; with <paramref name="substituteVariables"/>, the policy values of
    /// string and ARN operators are policy-variable templates, and a condition none of whose values
    /// resolves is false.
    /// </summary>
    internal bool Evaluate(IReadOnlyDictionary<string, IReadOnlyList<string>> context, bool substituteVariables)
    {
        ArgumentNullException.ThrowIfNull(context);
        IReadOnlyList<string> values = Values;
        // Stryker disable once all : the other operators' values are validated numbers, dates, booleans and addresses, which hold no ${...} to substitute
        if (substituteVariables && (Operator.StartsWith("String", StringComparison.Ordinal) || Operator.StartsWith("Arn", StringComparison.Ordinal)))
        {
            bool wildcards = Operator.StartsWith("Arn", StringComparison.Ordinal) || Operator.Contains("Like", StringComparison.Ordinal);
            values = [.. Values.Select(v => PolicyVariables.Substitute(v, context, wildcards)).OfType<string>()];
            if (values.Count == 0)
            {
                return false;
            }
        }

        return EvaluateValues(context, values);
    }

    private bool EvaluateValues(IReadOnlyDictionary<string, IReadOnlyList<string>> context, IReadOnlyList<string> values)
    {
        IReadOnlyList<string>? requestValues = Lookup(context, Key);
        bool present = requestValues is { Count: > 0 };
        if (Operator == "Null")
        {
            // "true": the key must be absent; "false": present.
            return values.Any(v => string.Equals(v, "true", StringComparison.OrdinalIgnoreCase) ? !present : present);
        }

        if (!present)
        {
            return IfExists || Qualifier == ConditionSetQualifier.ForAllValues || (Qualifier == ConditionSetQualifier.None && Negated);
        }

        bool Test(string requestValue)
        {
            bool matches = values.Any(policyValue => Matches(requestValue, policyValue));
            return Negated ? !matches : matches;
        }

        return Qualifier switch
        {
            ConditionSetQualifier.ForAllValues => requestValues!.All(Test),
            ConditionSetQualifier.ForAnyValue => requestValues!.Any(Test),
            _ => Negated ? requestValues!.All(Test) : requestValues!.Any(Test),
        };
    }

    /// <summary>Whether the request's address is in the policy's network; each check is its own statement, so that each can be mutated and still compile.</summary>
    private static bool InNetwork(string requestValue, string policyValue)
    {
        if (!IPAddress.TryParse(requestValue, out IPAddress? address))
        {
            return false;
        }

        // Stryker disable once Block,Statement,Negate,Boolean : policy values were validated when the document was parsed, so the network always parses
        if (!TryParseNetwork(policyValue, out IPNetwork network))
        {
            return false;
        }

        return network.Contains(address);
    }

    /// <summary>The positive form of the operator: does one request value match one policy value?</summary>
    private bool Matches(string requestValue, string policyValue)
    {
        switch (Operator)
        {
            case "StringEquals" or "StringNotEquals":
                return string.Equals(requestValue, policyValue, StringComparison.Ordinal);
            case "StringEqualsIgnoreCase" or "StringNotEqualsIgnoreCase":
                return string.Equals(requestValue, policyValue, StringComparison.OrdinalIgnoreCase);
            case "StringLike" or "StringNotLike":
                return Glob(policyValue, requestValue, ignoreCase: false);
            case "Bool":
                return string.Equals(requestValue, policyValue, StringComparison.OrdinalIgnoreCase);
            case "BinaryEquals":
                return string.Equals(requestValue, policyValue, StringComparison.Ordinal);
            case "IpAddress" or "NotIpAddress":
                return InNetwork(requestValue, policyValue);
            case "ArnEquals" or "ArnLike" or "ArnNotEquals" or "ArnNotLike":
                return ArnMatches(policyValue, requestValue);
            default:
                break;
        }

        if (Operator.StartsWith("Numeric", StringComparison.Ordinal))
        {
            if (!decimal.TryParse(requestValue, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal left))
            {
                return false;
            }

            return Compare(left.CompareTo(decimal.Parse(policyValue, NumberStyles.Float, CultureInfo.InvariantCulture)), Operator["Numeric".Length..]);
        }

        if (!TryParseDate(requestValue, out DateTimeOffset when))
        {
            return false;
        }

        // Policy values were validated when the document was parsed.
        return TryParseDate(policyValue, out DateTimeOffset bound) && Compare(when.CompareTo(bound), Operator["Date".Length..]);
    }

    private static bool Compare(int order, string comparison) => comparison switch
    {
        "Equals" or "NotEquals" => order == 0,
        "LessThan" => order < 0,
        "LessThanEquals" => order <= 0,
        "GreaterThan" => order > 0,
        _ => order >= 0,
    };

    /// <summary>IAM wildcards: <c>*</c> any run, <c>?</c> one character. Linear-time two-pointer matching, no allocation.</summary>
    internal static bool Glob(string pattern, string value, bool ignoreCase)
    {
        int p = 0, v = 0, star = -1, mark = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || Same(pattern[p], value[v], ignoreCase)))
            {
                p++;
                v++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = v;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;

        static bool Same(char a, char b, bool ignoreCase) => a switch
        {
            PolicyVariables.LiteralStar => b == '*',
            PolicyVariables.LiteralQuestionMark => b == '?',
            _ => a == b || (ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b)),
        };
    }

    /// <summary>ARN matching: the six colon-separated parts compared one by one, each with wildcards.</summary>
    internal static bool ArnMatches(string pattern, string arn)
    {
        string[] p = pattern.Split(':', 6);
        string[] a = arn.Split(':', 6);
        if (p.Length != 6 || a.Length != 6)
        {
            return Glob(pattern, arn, ignoreCase: false);
        }

        for (int i = 0; i < 6; i++)
        {
            if (!Glob(p[i], a[i], ignoreCase: false))
            {
                return false;
            }
        }

        return true;
    }

    private static IReadOnlyList<string>? Lookup(IReadOnlyDictionary<string, IReadOnlyList<string>> context, string key)
    {
        if (context.TryGetValue(key, out IReadOnlyList<string>? values))
        {
            return values;
        }

        foreach ((string name, IReadOnlyList<string> candidate) in context)
        {
            if (string.Equals(name, key, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool TryParseDate(string value, out DateTimeOffset date)
    {
        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long epoch))
        {
            date = DateTimeOffset.FromUnixTimeSeconds(epoch);
            return true;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out date);
    }

    /// <summary>
    /// An address or a CIDR block, as IAM writes them: IPv4 in four dotted decimal parts (the shorter forms
    /// <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> also accepts, such as <c>203.0.113</c>, are refused);
    /// an address alone is the network of that one address.
    /// </summary>
    private static bool TryParseNetwork(string value, out IPNetwork network)
    {
        network = default;
        int slash = value.IndexOf('/', StringComparison.Ordinal);
        // Stryker disable once all : a value starting with "/" has an empty address, refused either way
        string address = slash < 0 ? value : value[..slash];
        if (!IPAddress.TryParse(address, out IPAddress? ip)
            || (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && (address.Count(c => c == '.') != 3 || address.Any(c => c != '.' && !char.IsAsciiDigit(c)))))
        {
            return false;
        }

        // Stryker disable once all : a value starting with "/" has an empty address, refused above either way
        if (slash >= 0)
        {
            return IPNetwork.TryParse(value, out network);
        }

        network = new IPNetwork(ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        return true;
    }

    internal static IReadOnlyList<PolicyCondition> ParseBlock(JsonElement block, string location)
    {
        if (block.ValueKind != JsonValueKind.Object)
        {
            throw PolicyDocument.Malformed(location, "Condition must be an object of operators.");
        }

        var conditions = new List<PolicyCondition>();
        foreach (JsonProperty operatorProperty in block.EnumerateObject())
        {
            string where = $"{location}.{operatorProperty.Name}";
            string name = operatorProperty.Name;
            ConditionSetQualifier qualifier = ConditionSetQualifier.None;
            if (name.StartsWith("ForAnyValue:", StringComparison.Ordinal))
            {
                qualifier = ConditionSetQualifier.ForAnyValue;
                name = name["ForAnyValue:".Length..];
            }
            else if (name.StartsWith("ForAllValues:", StringComparison.Ordinal))
            {
                qualifier = ConditionSetQualifier.ForAllValues;
                name = name["ForAllValues:".Length..];
            }

            bool ifExists = name.EndsWith("IfExists", StringComparison.Ordinal) && name != "IfExists";
            if (ifExists)
            {
                name = name[..^"IfExists".Length];
            }

            if (!s_operators.Contains(name, StringComparer.Ordinal) || (ifExists && name == "Null"))
            {
                throw PolicyDocument.Malformed(where, $"'{operatorProperty.Name}' is not a condition operator.");
            }

            if (operatorProperty.Value.ValueKind != JsonValueKind.Object)
            {
                throw PolicyDocument.Malformed(where, "An operator takes an object of condition keys and values.");
            }

            foreach (JsonProperty keyProperty in operatorProperty.Value.EnumerateObject())
            {
                string keyWhere = $"{where}.{keyProperty.Name}";
                IReadOnlyList<string> values = PolicyDocument.StringOrArray(keyProperty.Value, keyWhere);
                foreach (string value in values)
                {
                    ValidateValue(name, value, keyWhere);
                }

                conditions.Add(new PolicyCondition(name, qualifier, ifExists, keyProperty.Name, values));
            }
        }

        return conditions.AsReadOnly();
    }

    private static void ValidateValue(string op, string value, string location)
    {
        bool valid = op switch
        {
            "Null" or "Bool" => value is "true" or "false" or "True" or "False",
            _ when op.StartsWith("Numeric", StringComparison.Ordinal) => decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            _ when op.StartsWith("Date", StringComparison.Ordinal) => TryParseDate(value, out _),
            "IpAddress" or "NotIpAddress" => TryParseNetwork(value, out _),
            _ => true,
        };
        if (!valid)
        {
            throw PolicyDocument.Malformed(location, $"'{value}' is not a valid value for {op}.");
        }
    }

    /// <summary>The condition as it reads in a policy.</summary>
    public override string ToString() =>
        $"{(Qualifier == ConditionSetQualifier.None ? string.Empty : Qualifier + ":")}{Operator}{(IfExists ? "IfExists" : string.Empty)} {Key} [{string.Join(", ", Values)}]";
}
