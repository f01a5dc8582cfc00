using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace Vaultlib.Parameters;

/// <summary>One parameter policy of a version: its type and text as given, when it acts, and whether it has.</summary>
internal sealed record PolicyState(string Type, string Text, DateTimeOffset DueAt, bool Finished)
{
    public ParameterInlinePolicy ToInline() => new() { PolicyText = Text, PolicyType = Type, PolicyStatus = Finished ? "Finished" : "Pending" };
}

/// <summary>
/// Parameter policies in AWS's JSON shape, e.g.
/// <c>[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"2026-12-02T21:34:33.000Z"}},
/// {"Type":"ExpirationNotification","Version":"1.0","Attributes":{"Before":"15","Unit":"Days"}},
/// {"Type":"NoChangeNotification","Version":"1.0","Attributes":{"After":"20","Unit":"Days"}}]</c>:
/// at most 10, one of each type, a notification before expiration only with an expiration, units
/// Days or Hours, and AWS's errors for each fault.
/// </summary>
internal static class ParameterPolicies
{
    public const int MaxPolicies = 10;
    public const string Expiration = "Expiration";
    public const string ExpirationNotification = "ExpirationNotification";
    public const string NoChangeNotification = "NoChangeNotification";

    /// <summary>Parses <paramref name="json"/> for a version written at <paramref name="written"/>; <paramref name="previous"/> keeps the finished flags of the same policies.</summary>
    public static ImmutableArray<PolicyState> Parse(string json, DateTimeOffset written, ImmutableArray<PolicyState> previous)
    {
        using JsonDocument? document = TryParseJson(json);
        if (document is null)
        {
            throw new InvalidPolicyAttributeException("Policies must be a JSON array of policies, each with Type, Version and Attributes.");
        }

        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidPolicyAttributeException("Policies must be a JSON array of policies.");
        }

        if (root.GetArrayLength() > MaxPolicies)
        {
            throw new PoliciesLimitExceededException($"A parameter can have at most {MaxPolicies} policies.");
        }

        var parsed = new List<(string Type, string Text, JsonElement Attributes)>();
        foreach (JsonElement policy in root.EnumerateArray())
        {
            string? type = StringProperty(policy, "Type");
            if (type is not (Expiration or ExpirationNotification or NoChangeNotification))
            {
                throw new InvalidPolicyTypeException($"The policy type {type ?? "(none)"} is not valid; use Expiration, ExpirationNotification or NoChangeNotification.");
            }

            if (StringProperty(policy, "Version") != "1.0")
            {
                throw new InvalidPolicyAttributeException($"The {type} policy needs \"Version\": \"1.0\".");
            }

            if (!policy.TryGetProperty("Attributes", out JsonElement attributes) || attributes.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidPolicyAttributeException($"The {type} policy needs Attributes.");
            }

            if (parsed.Any(p => p.Type == type))
            {
                throw new IncompatiblePolicyException($"A parameter can have one {type} policy.");
            }

            parsed.Add((type, policy.GetRawText(), attributes.Clone()));
        }

        DateTimeOffset? expiration = parsed.Where(p => p.Type == Expiration).Select(p => (DateTimeOffset?)Timestamp(p.Attributes)).FirstOrDefault();
        var states = ImmutableArray.CreateBuilder<PolicyState>(parsed.Count);
        foreach ((string type, string text, JsonElement attributes) in parsed)
        {
            DateTimeOffset due = type switch
            {
                Expiration => expiration!.Value,
                ExpirationNotification => (expiration ?? throw new IncompatiblePolicyException("An ExpirationNotification policy needs an Expiration policy.")) - Period(attributes, "Before"),
                _ => written + Period(attributes, "After"),
            };
            if (type == Expiration && due <= written)
            {
                throw new InvalidPolicyAttributeException("The Expiration policy's Timestamp must be in the future.");
            }

            // The same text is the same policy (its type is in it); a no-change notification starts again with every version.
            bool finished = type != NoChangeNotification && previous.Any(p => p.Text == text && p.Finished);
            states.Add(new PolicyState(type, text, due, finished));
        }

        return states.ToImmutable();
    }

    private static DateTimeOffset Timestamp(JsonElement attributes)
    {
        string? text = StringProperty(attributes, "Timestamp");
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset timestamp))
        {
            throw new InvalidPolicyAttributeException("The Expiration policy needs a Timestamp in ISO 8601 form, such as 2026-12-02T21:34:33.000Z.");
        }

        return timestamp;
    }

    private static TimeSpan Period(JsonElement attributes, string name)
    {
        string? text = StringProperty(attributes, name);
        string? unit = StringProperty(attributes, "Unit");
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int amount) || amount < 1)
        {
            throw new InvalidPolicyAttributeException($"The attribute {name} must be a whole number of at least 1, given as a string.");
        }

        return unit switch
        {
            "Days" => TimeSpan.FromDays(amount),
            "Hours" => TimeSpan.FromHours(amount),
            _ => throw new InvalidPolicyAttributeException("The attribute Unit must be Days or Hours."),
        };
    }

    /// <summary>The document <paramref name="json"/> holds, or null when it is not JSON.</summary>
    private static JsonDocument? TryParseJson(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        // Stryker disable all : an emptied catch returns null (the default), as this one does
        catch (JsonException)
        {
            return null;
        }

        // Stryker restore all
    }

    /// <summary>
    /// The string value of <paramref name="element"/>'s property <paramref name="name"/>; null when the element is not an
    /// object, has no such property, or its value is not a string. The lookup's result is declared before it, so that
    /// removing the lookup still compiles.
    /// </summary>
    private static string? StringProperty(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        JsonElement value = default;
        _ = element.TryGetProperty(name, out value); // a missing property leaves the default, whose kind is Undefined
        return value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
