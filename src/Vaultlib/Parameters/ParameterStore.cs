using Microsoft.Extensions.Logging;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Keys;
using Vaultlib.Storage;

namespace Vaultlib.Parameters;

/// <summary>
/// Parameter Store for one region of one account, shared by <see cref="InMemoryParameterStore"/> and
/// <see cref="VaultParameterStore"/>, which differ only in the vault their sealed records live in. A
/// thin façade: each method hands its request to the operation of the same name
/// (<c>Parameters/Operations/&lt;Operation&gt;.cs</c>) through the one request pipeline. Thread-safe.
/// </summary>
public abstract class ParameterStore : IParameterStore, IDisposable
{
    private readonly ParameterTable _table;
    private readonly CallerIdentity? _caller;
    private readonly bool _ownsTable;

    private protected ParameterStore(Vault vault, bool ownsVault, VaultlibOptions? options, TimeProvider? timeProvider, ILoggerFactory? loggerFactory, IAuditSink? auditSink, IdentityPolicyStore? identityPolicies, KeyService? keys)
    {
        ArgumentNullException.ThrowIfNull(vault);
        _table = new ParameterTable(vault, ownsVault, options, timeProvider, loggerFactory, auditSink, identityPolicies, keys);
        _ownsTable = true;
    }

    private protected ParameterStore(ParameterStore shared, CallerIdentity caller)
    {
        _table = shared._table;
        _caller = caller;
    }

    /// <summary>The region and account this store's ARNs name.</summary>
    public VaultlibOptions Options => _table.Options;

    /// <summary>The KMS that encrypts this store's SecureStrings (the same region and account).</summary>
    public KeyService Keys => _table.Keys;

    /// <summary>The identity policies of the principals that call this store.</summary>
    public IdentityPolicyStore IdentityPolicies => _table.IdentityPolicies;

    /// <summary>The caller this façade is bound to (see <see cref="AsCaller"/>); null when calls run as the ambient caller or the account root.</summary>
    public CallerIdentity? Caller => _caller;

    internal ParameterTable Table => _table;

    /// <summary>This store's time-driven work (parameter policies), for a <see cref="Scheduling.VaultlibScheduler"/>.</summary>
    public Scheduling.IScheduledWork ScheduledWork => _table;

    /// <summary>
    /// Calls <paramref name="handler"/> with every <see cref="ParameterStoreEvent"/> of this store (changes made here
    /// and by every other instance sharing the vault), in order, on a task of its own; dispose the result to stop.
    /// The handler may call the store. An exception it throws is logged and does not stop later events.
    /// </summary>
    public IDisposable Subscribe(Action<ParameterStoreEvent> handler) => _table.Events.Subscribe(handler);

    /// <summary>
    /// The same store, with every call made as <paramref name="caller"/> (and its KMS calls for
    /// SecureStrings too), as an AWS client made with that principal's credentials. Disposing the
    /// returned façade does nothing; disposing this store ends both.
    /// </summary>
    public ParameterStore AsCaller(CallerIdentity caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new CallerBound(this, caller);
    }

    /// <inheritdoc/>
    public Task<PutParameterResponse> PutParameterAsync(PutParameterRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.PutParameter.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<GetParameterResponse> GetParameterAsync(GetParameterRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.GetParameter.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<GetParametersResponse> GetParametersAsync(GetParametersRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.GetParameters.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<GetParametersByPathResponse> GetParametersByPathAsync(GetParametersByPathRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.GetParametersByPath.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<GetParameterHistoryResponse> GetParameterHistoryAsync(GetParameterHistoryRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.GetParameterHistory.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<DescribeParametersResponse> DescribeParametersAsync(DescribeParametersRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.DescribeParameters.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<DeleteParameterResponse> DeleteParameterAsync(DeleteParameterRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.DeleteParameter.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<DeleteParametersResponse> DeleteParametersAsync(DeleteParametersRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.DeleteParameters.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<LabelParameterVersionResponse> LabelParameterVersionAsync(LabelParameterVersionRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.LabelParameterVersion.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<UnlabelParameterVersionResponse> UnlabelParameterVersionAsync(UnlabelParameterVersionRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.UnlabelParameterVersion.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<AddTagsToResourceResponse> AddTagsToResourceAsync(AddTagsToResourceRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.AddTagsToResource.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<RemoveTagsFromResourceResponse> RemoveTagsFromResourceAsync(RemoveTagsFromResourceRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.RemoveTagsFromResource.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<ListTagsForResourceResponse> ListTagsForResourceAsync(ListTagsForResourceRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.ListTagsForResource.Instance, _table, request, _caller, cancellationToken);

    /// <summary>Releases the store (and the KMS it made for itself, if it made one); a façade from <see cref="AsCaller"/> releases nothing.</summary>
    public void Dispose()
    {
        if (_ownsTable)
        {
            _table.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Type and identity only.</summary>
    public override string ToString() => $"{GetType().Name}({_table.Options.Region}, {_table.Options.AccountId}, {_table.Count} parameters)";

    /// <summary>A façade over another store's parameters, bound to one caller.</summary>
    private sealed class CallerBound(ParameterStore shared, CallerIdentity caller) : ParameterStore(shared, caller);
}
