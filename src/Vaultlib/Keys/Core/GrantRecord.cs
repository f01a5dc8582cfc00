using System.Collections.Immutable;
using System.Text.Json;
using Vaultlib.Storage;

namespace Vaultlib.Keys;

/// <summary>A grant as the service holds it. Its token is kept sealed like every record.</summary>
internal sealed record GrantRecord
{
    public required string GrantId { get; init; }

    public required string GrantToken { get; init; }

    public required string KeyId { get; init; }

    public string? Name { get; init; }

    public required string GranteePrincipal { get; init; }

    public string? RetiringPrincipal { get; init; }

    public required ImmutableArray<GrantOperation> Operations { get; init; }

    public IReadOnlyDictionary<string, string>? EncryptionContextEquals { get; init; }

    public IReadOnlyDictionary<string, string>? EncryptionContextSubset { get; init; }

    public required DateTimeOffset CreationDate { get; init; }

    public required string IssuingAccount { get; init; }

    /// <summary>Whether the request's encryption context satisfies the grant's constraints.</summary>
    public bool ConstraintsHold(IReadOnlyDictionary<string, string>? context)
    {
        context ??= new Dictionary<string, string>();
        if (EncryptionContextEquals is { } equals)
        {
            return equals.Count == context.Count && equals.All(p => context.TryGetValue(p.Key, out string? v) && v == p.Value);
        }

        return EncryptionContextSubset is not { } subset || subset.All(p => context.TryGetValue(p.Key, out string? v) && v == p.Value);
    }

    public GrantListEntry ToEntry() => new()
    {
        KeyId = KeyId,
        GrantId = GrantId,
        Name = Name,
        CreationDate = CreationDate,
        GranteePrincipal = GranteePrincipal,
        RetiringPrincipal = RetiringPrincipal,
        IssuingAccount = IssuingAccount,
        Operations = Operations,
        Constraints = EncryptionContextEquals is null && EncryptionContextSubset is null ? null
            : new GrantConstraints { EncryptionContextEquals = EncryptionContextEquals, EncryptionContextSubset = EncryptionContextSubset },
    };

    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", 1);
            writer.WriteString("grantId", GrantId);
            writer.WriteString("grantToken", GrantToken);
            writer.WriteString("keyId", KeyId);
            writer.WriteString("name", Name);
            writer.WriteString("granteePrincipal", GranteePrincipal);
            writer.WriteString("retiringPrincipal", RetiringPrincipal);
            writer.WriteStartArray("operations");
            foreach (GrantOperation operation in Operations)
            {
                writer.WriteStringValue(operation.ToString());
            }

            writer.WriteEndArray();
            WriteContext(writer, "encryptionContextEquals", EncryptionContextEquals);
            WriteContext(writer, "encryptionContextSubset", EncryptionContextSubset);
            writer.WriteString("creationDate", CreationDate);
            writer.WriteString("issuingAccount", IssuingAccount);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static GrantRecord FromJson(string location, ReadOnlyMemory<byte> json)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            return new GrantRecord
            {
                GrantId = root.GetProperty("grantId").GetString()!,
                GrantToken = root.GetProperty("grantToken").GetString()!,
                KeyId = root.GetProperty("keyId").GetString()!,
                Name = root.GetProperty("name").GetString(),
                GranteePrincipal = root.GetProperty("granteePrincipal").GetString()!,
                RetiringPrincipal = root.GetProperty("retiringPrincipal").GetString(),
                Operations = [.. root.GetProperty("operations").EnumerateArray().Select(o => Enum.Parse<GrantOperation>(o.GetString()!))],
                EncryptionContextEquals = ReadContext(root, "encryptionContextEquals"),
                EncryptionContextSubset = ReadContext(root, "encryptionContextSubset"),
                CreationDate = root.GetProperty("creationDate").GetDateTimeOffset(),
                IssuingAccount = root.GetProperty("issuingAccount").GetString()!,
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new VaultStoreException(VaultStoreFailure.Tampered, location, $"The record '{location}' is authentic but unreadable ({ex.GetType().Name}).", ex);
        }
    }

    private static void WriteContext(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string>? context)
    {
        if (context is null)
        {
            return;
        }

        writer.WriteStartObject(name);
        foreach ((string key, string value) in context)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    private static Dictionary<string, string>? ReadContext(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement context) ? context.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal) : null;

    public override string ToString() => $"Grant {GrantId} on {KeyId} for {GranteePrincipal}";
}
