using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using Vaultlib.Storage;

namespace Vaultlib.Parameters;

/// <summary>Reads and writes parameter records as JSON inside sealed store records.</summary>
internal static class ParameterRecordCodec
{
    public const int Version = 1;

    public static byte[] Write(ParameterRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", Version);
            writer.WriteString("name", record.Name);
            writer.WriteString("arn", record.Arn);
            writer.WriteStartObject("tags");
            foreach ((string key, string value) in record.Tags)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
            writer.WriteStartArray("versions");
            foreach (ParameterVersionRecord v in record.Versions)
            {
                writer.WriteStartObject();
                writer.WriteNumber("version", v.Version);
                writer.WriteString("type", v.Type.ToString());
                WriteOptional(writer, "value", v.PlainValue);
                if (v.Ciphertext is not null)
                {
                    writer.WriteBase64String("ciphertext", v.Ciphertext);
                    writer.WriteBoolean("envelope", v.Envelope);
                }

                WriteOptional(writer, "keyId", v.KeyId);
                WriteOptional(writer, "keyArn", v.KeyArn);
                writer.WriteString("lastModifiedDate", v.LastModifiedDate);
                writer.WriteString("lastModifiedUser", v.LastModifiedUser);
                WriteOptional(writer, "description", v.Description);
                WriteOptional(writer, "allowedPattern", v.AllowedPattern);
                writer.WriteString("tier", v.Tier.ToString());
                WriteOptional(writer, "policies", v.Policies);
                writer.WriteStartArray("policyStates");
                foreach (PolicyState policy in v.PolicyStates)
                {
                    writer.WriteStartObject();
                    writer.WriteString("type", policy.Type);
                    writer.WriteString("text", policy.Text);
                    writer.WriteString("dueAt", policy.DueAt);
                    writer.WriteBoolean("finished", policy.Finished);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteString("dataType", v.DataType);
                writer.WriteStartArray("labels");
                foreach (string label in v.Labels)
                {
                    writer.WriteStringValue(label);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static ParameterRecord Read(string location, ReadOnlyMemory<byte> json)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            int version = root.GetProperty("v").GetInt32();
            if (version != Version)
            {
                throw new VaultStoreException(VaultStoreFailure.InvalidHeader, location, $"The record '{location}' has version {version}; this Vaultlib reads version {Version}.");
            }

            var tags = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            foreach (JsonProperty tag in root.GetProperty("tags").EnumerateObject())
            {
                tags[tag.Name] = tag.Value.GetString()!;
            }

            var versions = ImmutableArray.CreateBuilder<ParameterVersionRecord>();
            foreach (JsonElement v in root.GetProperty("versions").EnumerateArray())
            {
                versions.Add(new ParameterVersionRecord
                {
                    Version = v.GetProperty("version").GetInt64(),
                    Type = Enum.Parse<ParameterType>(v.GetProperty("type").GetString()!),
                    PlainValue = Optional(v, "value"),
                    Ciphertext = v.TryGetProperty("ciphertext", out JsonElement ciphertext) ? ciphertext.GetBytesFromBase64() : null,
                    Envelope = v.TryGetProperty("envelope", out JsonElement envelope) && envelope.GetBoolean(),
                    KeyId = Optional(v, "keyId"),
                    KeyArn = Optional(v, "keyArn"),
                    LastModifiedDate = v.GetProperty("lastModifiedDate").GetDateTimeOffset(),
                    LastModifiedUser = v.GetProperty("lastModifiedUser").GetString()!,
                    Description = Optional(v, "description"),
                    AllowedPattern = Optional(v, "allowedPattern"),
                    Tier = Enum.Parse<ParameterTier>(v.GetProperty("tier").GetString()!),
                    Policies = Optional(v, "policies"),
                    PolicyStates = v.TryGetProperty("policyStates", out JsonElement states)
                        ? [.. states.EnumerateArray().Select(p => new PolicyState(p.GetProperty("type").GetString()!, p.GetProperty("text").GetString()!, p.GetProperty("dueAt").GetDateTimeOffset(), p.GetProperty("finished").GetBoolean()))]
                        : [],
                    DataType = v.GetProperty("dataType").GetString()!,
                    Labels = [.. v.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!)],
                });
            }

            if (versions.Count == 0)
            {
                throw new FormatException("a parameter record has no version");
            }

            return new ParameterRecord
            {
                Name = root.GetProperty("name").GetString()!,
                Arn = root.GetProperty("arn").GetString()!,
                Tags = tags.ToImmutable(),
                Versions = versions.ToImmutable(),
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new VaultStoreException(VaultStoreFailure.Tampered, location, $"The record '{location}' is authentic but unreadable ({ex.GetType().Name}); it was written by an incompatible version.", ex);
        }
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static string? Optional(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) ? value.GetString() : null;
}
