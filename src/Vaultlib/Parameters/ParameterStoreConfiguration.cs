using Microsoft.Extensions.Configuration;

namespace Vaultlib.Parameters;

/// <summary>
/// Parameter Store as <see cref="IConfiguration"/>, as <c>Amazon.Extensions.Configuration.SystemsManager</c> maps
/// it: every parameter under a path, the path stripped, <c>/</c> as <c>:</c>, a StringList as <c>key:0</c>,
/// <c>key:1</c>…, SecureStrings decrypted. Unlike that provider, it reloads when a parameter under the
/// path changes (from <see cref="ParameterStore.Subscribe"/>), with no polling, so <c>IOptionsMonitor</c> sees a
/// new value as soon as it is put.
/// </summary>
public static class ParameterStoreConfigurationExtensions
{
    /// <summary>Adds the parameters under <paramref name="path"/> in <paramref name="store"/>; a <see cref="ParameterStore"/> is followed, and the configuration reloads on its changes.</summary>
    /// <param name="builder">The configuration builder.</param>
    /// <param name="store">The store to read (any <see cref="IParameterStore"/>, a test double included; a <see cref="ParameterStore"/> is also followed).</param>
    /// <param name="path">A path such as <c>/myapp/prod/</c>.</param>
    /// <param name="optional">When false, a path with no parameters is an error at load.</param>
    /// <exception cref="ParameterNotFoundException">At load: the path is required and holds no parameter.</exception>
    public static IConfigurationBuilder AddVaultlibParameters(this IConfigurationBuilder builder, IParameterStore store, string path, bool optional = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(store);
        ParameterNames.ValidatePath(path);
        return builder.Add(new ParameterStoreConfigurationSource(store, path, optional));
    }
}

/// <summary>The configuration source of <see cref="ParameterStoreConfigurationExtensions.AddVaultlibParameters"/>.</summary>
/// <param name="store">The store.</param>
/// <param name="path">The path.</param>
/// <param name="optional">Whether a path with no parameters is allowed.</param>
public sealed class ParameterStoreConfigurationSource(IParameterStore store, string path, bool optional) : IConfigurationSource
{
    /// <summary>The store.</summary>
    public IParameterStore Store { get; } = store;

    /// <summary>The path.</summary>
    public string Path { get; } = path;

    /// <summary>Whether a path with no parameters is allowed.</summary>
    public bool Optional { get; } = optional;

    /// <inheritdoc/>
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new ParameterStoreConfigurationProvider(this);
}

/// <summary>Reads the parameters under a path into configuration keys, and reloads on their change events.</summary>
public sealed class ParameterStoreConfigurationProvider : ConfigurationProvider, IDisposable
{
    private readonly ParameterStoreConfigurationSource _source;
    private readonly string _path;
    private readonly IDisposable? _subscription;

    /// <summary>Creates the provider and subscribes to the store's events.</summary>
    /// <param name="source">The source.</param>
    public ParameterStoreConfigurationProvider(ParameterStoreConfigurationSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        _path = ParameterNames.ValidatePath(source.Path);
        _subscription = (source.Store as ParameterStore)?.Subscribe(OnEvent);
    }

    /// <summary>Reads every parameter under the path (recursively, decrypted).</summary>
    public override void Load() => Data = Read();

    /// <summary>Stops following the store's events.</summary>
    public void Dispose() => _subscription?.Dispose();

    /// <summary>Identity only: never the values.</summary>
    public override string ToString() => $"{nameof(ParameterStoreConfigurationProvider)}({_path})";

    private Dictionary<string, string?> Read()
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        string? token = null;
        int count = 0;
        do
        {
            GetParametersByPathResponse page = _source.Store.GetParametersByPathAsync(new GetParametersByPathRequest { Path = _path, Recursive = true, WithDecryption = true, NextToken = token })
                .GetAwaiter().GetResult();
            foreach (Parameter parameter in page.Parameters)
            {
                count++;
                string key = ParameterNames.Key(parameter.Name)[(_path == "/" ? 0 : ParameterNames.Key(_path).Length + 1)..].Replace('/', ':');
                if (parameter.Type == ParameterType.StringList)
                {
                    string[] items = parameter.Value!.Split(',');
                    for (int i = 0; i < items.Length; i++)
                    {
                        data[$"{key}:{i}"] = items[i];
                    }
                }
                else
                {
                    data[key] = parameter.Value;
                }
            }

            token = page.NextToken;
        }
        while (token is not null);

        if (count == 0 && !_source.Optional)
        {
            throw new ParameterNotFoundException($"The required configuration path {_source.Path} holds no parameters in Parameter Store; add them, or pass optional: true.");
        }

        return data;
    }

    private void OnEvent(ParameterStoreEvent e)
    {
        if (e.DetailType == "Parameter Store Change" && ParameterNames.IsUnder(e.Detail.Name, _path, recursive: true))
        {
            try
            {
                Data = Read();
            }
            catch (ParameterNotFoundException)
            {
                Data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase); // the last parameter went away
            }

            OnReload();
        }
    }
}
