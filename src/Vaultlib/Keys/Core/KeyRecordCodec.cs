using System.Buffers;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using Vaultlib.Internal;
using Vaultlib.Storage;

namespace Vaultlib.Keys;

/// <summary>
/// Reads and writes key and alias records as JSON inside sealed store records. Key material is
/// written as base64 straight from its secret buffer and read straight into one, and the JSON
/// buffers are zeroed, so no managed string ever holds material.
/// </summary>
internal static class KeyRecordCodec
{
    public const int Version = 1;

    /// <summary>Serializes <paramref name="record"/> into <paramref name="buffer"/>; the caller zeroes the buffer after use.</summary>
    public static void Write(KeyRecord record, ArrayBufferWriter<byte> buffer)
    {
        using var writer = new Utf8JsonWriter(buffer);
        writer.WriteStartObject();
        writer.WriteNumber("v", Version);
        writer.WriteString("keyId", record.KeyId);
        writer.WriteString("arn", record.Arn);
        writer.WriteString("creationDate", record.CreationDate);
        writer.WriteString("description", record.Description);
        writer.WriteString("keyUsage", record.KeyUsage.ToString());
        writer.WriteString("keySpec", record.KeySpec.ToString());
        writer.WriteString("origin", record.Origin.ToString());
        writer.WriteString("keyManager", record.KeyManager.ToString());
        if (record.AwsManagedService is not null)
        {
            writer.WriteString("awsManagedService", record.AwsManagedService);
        }

        writer.WriteBoolean("multiRegion", record.MultiRegion);
        writer.WriteString("policy", record.Policy);
        writer.WriteStartObject("tags");
        foreach ((string key, string value) in record.Tags)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
        writer.WriteString("keyState", record.KeyState.ToString());
        if (record.DeletionDate is { } deletionDate)
        {
            writer.WriteString("deletionDate", deletionDate);
            writer.WriteNumber("pendingWindowInDays", record.PendingWindowInDays ?? 0);
        }

        writer.WriteBoolean("rotationEnabled", record.RotationEnabled);
        if (record.RotationPeriodInDays is { } period)
        {
            writer.WriteNumber("rotationPeriodInDays", period);
        }

        if (record.NextRotationDate is { } next)
        {
            writer.WriteString("nextRotationDate", next);
        }

        writer.WriteNumber("onDemandRotationCount", record.OnDemandRotationCount);
        WriteImport(record, writer);
        if (record.PrimaryRegion is not null)
        {
            writer.WriteString("primaryRegion", record.PrimaryRegion);
            writer.WriteStartArray("replicaRegions");
            foreach (string region in record.ReplicaRegions)
            {
                writer.WriteStringValue(region);
            }

            writer.WriteEndArray();
        }

        writer.WriteStartArray("materials");
        foreach (KeyMaterial material in record.Materials)
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", material.Version);
            writer.WriteString("id", material.KeyMaterialId);
            writer.WriteString("creationDate", material.CreationDate);
            if (material.RotationType is { } rotationType)
            {
                writer.WriteString("rotationType", rotationType.ToString());
            }

            using (SecretLease lease = material.Secret.Lease())
            {
                writer.WriteBase64String("key", lease.Span);
            }

            if (material.PublicKey is not null)
            {
                writer.WriteBase64String("publicKey", material.PublicKey);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The imported material's expiry and id, and the outstanding wrapping keys (secret, base64 straight from their buffers).</summary>
    private static void WriteImport(KeyRecord record, Utf8JsonWriter writer)
    {
        if (record.ExpirationModel is { } model)
        {
            writer.WriteString("expirationModel", model.ToString());
        }

        if (record.ValidTo is { } validTo)
        {
            writer.WriteString("validTo", validTo);
        }

        if (record.ImportedKeyMaterialId is not null)
        {
            writer.WriteString("importedKeyMaterialId", record.ImportedKeyMaterialId);
        }

        if (record.ImportParameters.IsEmpty)
        {
            return;
        }

        writer.WriteStartArray("importParameters");
        foreach (ImportParameters parameters in record.ImportParameters)
        {
            writer.WriteStartObject();
            writer.WriteBase64String("token", parameters.ImportToken);
            writer.WriteString("wrappingKeySpec", parameters.WrappingKeySpec.ToString());
            writer.WriteString("wrappingAlgorithm", parameters.WrappingAlgorithm.ToString());
            writer.WriteString("validTo", parameters.ParametersValidTo);
            using (SecretLease lease = parameters.PrivateKey.Lease())
            {
                writer.WriteBase64String("privateKey", lease.Span);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static ImportParameters ReadImportParameters(JsonElement element)
    {
        byte[] privateKey = element.GetProperty("privateKey").GetBytesFromBase64();
        try
        {
            return new ImportParameters(
                element.GetProperty("token").GetBytesFromBase64(),
                Enum.Parse<WrappingKeySpec>(element.GetProperty("wrappingKeySpec").GetString()!),
                Enum.Parse<AlgorithmSpec>(element.GetProperty("wrappingAlgorithm").GetString()!),
                element.GetProperty("validTo").GetDateTimeOffset(),
                SecretBuffer.Copy(privateKey));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(privateKey);
        }
    }

    /// <summary>Reads a key record. <see cref="JsonDocument"/> parses <paramref name="json"/> in place (no copy), so zeroing it afterwards leaves no material behind.</summary>
    public static KeyRecord ReadKey(string location, ReadOnlyMemory<byte> json)
    {
        var materials = ImmutableArray.CreateBuilder<KeyMaterial>();
        var imports = ImmutableArray.CreateBuilder<ImportParameters>();
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            RequireVersion(location, root);
            foreach (JsonElement element in root.GetProperty("materials").EnumerateArray())
            {
                materials.Add(ReadMaterial(element));
            }

            KeyState state = Enum.Parse<KeyState>(root.GetProperty("keyState").GetString()!);
            OriginType origin = Enum.Parse<OriginType>(root.GetProperty("origin").GetString()!);
            if (materials.Count == 0 && origin != OriginType.EXTERNAL)
            {
                throw new FormatException("a key record of generated material has no material");
            }

            if (root.TryGetProperty("importParameters", out JsonElement importParameters))
            {
                foreach (JsonElement element in importParameters.EnumerateArray())
                {
                    imports.Add(ReadImportParameters(element));
                }
            }

            var tags = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            foreach (JsonProperty tag in root.GetProperty("tags").EnumerateObject())
            {
                tags[tag.Name] = tag.Value.GetString()!;
            }

            return new KeyRecord
            {
                KeyId = root.GetProperty("keyId").GetString()!,
                Arn = root.GetProperty("arn").GetString()!,
                CreationDate = root.GetProperty("creationDate").GetDateTimeOffset(),
                Description = root.GetProperty("description").GetString()!,
                KeyUsage = Enum.Parse<KeyUsageType>(root.GetProperty("keyUsage").GetString()!),
                KeySpec = Enum.Parse<KeySpec>(root.GetProperty("keySpec").GetString()!),
                Origin = origin,
                KeyManager = Enum.Parse<KeyManagerType>(root.GetProperty("keyManager").GetString()!),
                AwsManagedService = root.TryGetProperty("awsManagedService", out JsonElement service) ? service.GetString() : null,
                MultiRegion = root.GetProperty("multiRegion").GetBoolean(),
                Policy = root.GetProperty("policy").GetString()!,
                Tags = tags.ToImmutable(),
                KeyState = state,
                DeletionDate = root.TryGetProperty("deletionDate", out JsonElement deletion) ? deletion.GetDateTimeOffset() : null,
                PendingWindowInDays = root.TryGetProperty("pendingWindowInDays", out JsonElement window) ? window.GetInt32() : null,
                RotationEnabled = root.GetProperty("rotationEnabled").GetBoolean(),
                RotationPeriodInDays = root.TryGetProperty("rotationPeriodInDays", out JsonElement period) ? period.GetInt32() : null,
                NextRotationDate = root.TryGetProperty("nextRotationDate", out JsonElement next) ? next.GetDateTimeOffset() : null,
                OnDemandRotationCount = root.GetProperty("onDemandRotationCount").GetInt32(),
                Materials = materials.ToImmutable(),
                ExpirationModel = root.TryGetProperty("expirationModel", out JsonElement model) ? Enum.Parse<ExpirationModelType>(model.GetString()!) : null,
                ValidTo = root.TryGetProperty("validTo", out JsonElement validTo) ? validTo.GetDateTimeOffset() : null,
                ImportedKeyMaterialId = root.TryGetProperty("importedKeyMaterialId", out JsonElement importedId) ? importedId.GetString() : null,
                ImportParameters = imports.ToImmutable(),
                PrimaryRegion = root.TryGetProperty("primaryRegion", out JsonElement primary) ? primary.GetString()
                    : root.GetProperty("multiRegion").GetBoolean() ? root.GetProperty("arn").GetString()!.Split(':')[3] : null,
                ReplicaRegions = root.TryGetProperty("replicaRegions", out JsonElement replicas) ? [.. replicas.EnumerateArray().Select(r => r.GetString()!)] : [],
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            foreach (KeyMaterial material in materials)
            {
                material.Release();
            }

            foreach (ImportParameters parameters in imports)
            {
                parameters.Release();
            }

            throw Unreadable(location, ex);
        }
    }

    public static byte[] WriteAlias(AliasRecord alias)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", Version);
            writer.WriteString("aliasName", alias.AliasName);
            writer.WriteString("targetKeyId", alias.TargetKeyId);
            writer.WriteString("creationDate", alias.CreationDate);
            writer.WriteString("lastUpdatedDate", alias.LastUpdatedDate);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static AliasRecord ReadAlias(string location, ReadOnlyMemory<byte> json)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            RequireVersion(location, root);
            return new AliasRecord(
                root.GetProperty("aliasName").GetString()!,
                root.GetProperty("targetKeyId").GetString()!,
                root.GetProperty("creationDate").GetDateTimeOffset(),
                root.GetProperty("lastUpdatedDate").GetDateTimeOffset());
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Unreadable(location, ex);
        }
    }

    private static KeyMaterial ReadMaterial(JsonElement element)
    {
        byte[] key = element.GetProperty("key").GetBytesFromBase64();
        try
        {
            if (key.Length is 0 or > 16384)
            {
                throw new FormatException("key material is empty or too large");
            }

            return new KeyMaterial(
                element.GetProperty("version").GetInt32(),
                element.GetProperty("id").GetString()!,
                element.GetProperty("creationDate").GetDateTimeOffset(),
                element.TryGetProperty("rotationType", out JsonElement rotation) ? Enum.Parse<RotationType>(rotation.GetString()!) : null,
                SecretBuffer.Copy(key),
                element.TryGetProperty("publicKey", out JsonElement publicKey) ? publicKey.GetBytesFromBase64() : null);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static void RequireVersion(string location, JsonElement root)
    {
        int version = root.GetProperty("v").GetInt32();
        if (version != Version)
        {
            throw new VaultStoreException(VaultStoreFailure.InvalidHeader, location, $"The record '{location}' has version {version}; this Vaultlib reads version {Version}.");
        }
    }

    private static VaultStoreException Unreadable(string location, Exception ex) =>
        new(VaultStoreFailure.Tampered, location, $"The record '{location}' is authentic but unreadable ({ex.GetType().Name}); it was written by an incompatible version.", ex);
}
