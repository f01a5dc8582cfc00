using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Vaultlib.Secrets;

/// <summary>
/// Secrets Manager as <see cref="IConfiguration"/>: each secret's AWSCURRENT string under a key made from its name
/// (<c>/</c> as <c>:</c>); a JSON object or array is flattened beneath it (<c>prod/db</c> holding
/// <c>{"host":"h","ports":[1,2]}</c> gives <c>prod:db:host</c>, <c>prod:db:ports:0</c>, <c>prod:db:ports:1</c>), any
/// other string is the key's value, and a binary secret is left out. Over a <see cref="SecretStore"/> the
/// configuration reloads when one of its secrets changes (a rotation, a put, in this instance or another sharing the
/// vault), so <c>IOptionsMonitor</c> sees the new value with no polling.
/// </summary>
public static class SecretsConfigurationExtensions
{
    /// <summary>Adds the secrets named in <paramref name="secretIds"/>.</summary>
    /// <param name="builder">The configuration builder.</param>
    /// <param name="store">The store to read (any <see cref="ISecretStore"/>; a <see cref="SecretStore"/> is also followed).</param>
    /// <param name="secretIds">The secrets, by name or ARN.</param>
    /// <param name="optional">When false, a secret that does not exist is an error at load; when true it is left out.</param>
    /// <exception cref="ResourceNotFoundException">At load: a required secret does not exist.</exception>
    public static IConfigurationBuilder AddVaultlibSecrets(this IConfigurationBuilder builder, ISecretStore store, IReadOnlyList<string> secretIds, bool optional = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(secretIds);
        if (secretIds.Count == 0 || secretIds.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("Name at least one secret, none of them empty.", nameof(secretIds));
        }

        return builder.Add(new SecretsConfigurationSource(store, secretIds, optional));
    }
}

/// <summary>The configuration source of <see cref="SecretsConfigurationExtensions.AddVaultlibSecrets"/>.</summary>
/// <param name="store">The store.</param>
/// <param name="secretIds">The secrets.</param>
/// <param name="optional">Whether a missing secret is left out rather than an error.</param>
public sealed class SecretsConfigurationSource(ISecretStore store, IReadOnlyList<string> secretIds, bool optional) : IConfigurationSource
{
    /// <summary>The store.</summary>
    public ISecretStore Store { get; } = store;

    /// <summary>The secrets.</summary>
    public IReadOnlyList<string> SecretIds { get; } = secretIds;

    /// <summary>Whether a missing secret is left out rather than an error.</summary>
    public bool Optional { get; } = optional;

    /// <inheritdoc/>
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new SecretsConfigurationProvider(this);
}

/// <summary>Reads secrets into configuration keys, and reloads when they change.</summary>
public sealed class SecretsConfigurationProvider : ConfigurationProvider, IDisposable
{
    private readonly SecretsConfigurationSource _source;
    private readonly IDisposable? _subscription;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>Creates the provider and follows the store's changes.</summary>
    /// <param name="source">The source.</param>
    public SecretsConfigurationProvider(SecretsConfigurationSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        _subscription = (source.Store as SecretStore)?.Table.SubscribeToChanges(OnChanged);
    }

    /// <summary>Reads every secret.</summary>
    public override void Load() => Data = Read();

    /// <summary>Stops following the store's changes.</summary>
    public void Dispose() => _subscription?.Dispose();

    /// <summary>Identity only: never the values.</summary>
    public override string ToString() => $"{nameof(SecretsConfigurationProvider)}({string.Join(", ", _source.SecretIds)})";

    /// <summary>The secret's current value, or null when it does not exist and the source is optional.</summary>
    private GetSecretValueResponse? ReadSecret(string id)
    {
        try
        {
            return _source.Store.GetSecretValueAsync(new GetSecretValueRequest { SecretId = id }).GetAwaiter().GetResult();
        }
        catch (ResourceNotFoundException) when (_source.Optional)
        {
            return null;
        }
    }

    private Dictionary<string, string?> Read()
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (string id in _source.SecretIds)
        {
            GetSecretValueResponse? value = ReadSecret(id);
            if (value is null)
            {
                continue;
            }

            lock (_names)
            {
                _names.Add(value.Name);
            }

            if (value.SecretString is { } text)
            {
                Flatten(data, value.Name.Replace('/', ':'), text);
            }
        }

        return data;
    }

    /// <summary>A JSON object or array under <paramref name="key"/>, flattened as the JSON configuration provider flattens a file; any other text as the value.</summary>
    private static void Flatten(Dictionary<string, string?> data, string key, string text)
    {
        string trimmed = text.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(text);
                Add(data, key, document.RootElement);
                return;
            }
            catch (JsonException)
            {
                // Not JSON after all: the text is the value.
            }
        }

        data[key] = text;
    }

    private static void Add(Dictionary<string, string?> data, string key, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    Add(data, $"{key}:{property.Name}", property.Value);
                }

                break;
            case JsonValueKind.Array:
                int index = 0;
                foreach (JsonElement item in element.EnumerateArray())
                {
                    Add(data, $"{key}:{index++}", item);
                }

                break;
            case JsonValueKind.Null:
                data[key] = null;
                break;
            default:
                data[key] = element.ToString(); // as the JSON configuration provider writes values: True, 5432, text
                break;
        }
    }

    private void OnChanged(string name, string arn)
    {
        bool ours;
        lock (_names)
        {
            ours = _names.Contains(name) || _source.SecretIds.Contains(name, StringComparer.Ordinal) || _source.SecretIds.Contains(arn, StringComparer.Ordinal);
        }

        if (!ours)
        {
            return;
        }

        // The change is being published under the store's write gate: read it again on another thread.
        _ = Task.Run(() =>
        {
            try
            {
                Data = Read();
            }
            catch (SecretsManagerException)
            {
                return; // the secret went away or cannot be read: keep the last configuration
            }

            OnReload();
        });
    }
}
