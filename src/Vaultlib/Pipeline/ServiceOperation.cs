namespace Vaultlib.Pipeline;

/// <summary>
/// One AWS operation of one service: its name and read-only flag, how its request is validated,
/// which resource it acts on, what it does, and the request facts its authorization conditions
/// need. Handlers are stateless singletons (<c>Instance</c>); all state is in <typeparamref name="TState"/>.
/// </summary>
/// <typeparam name="TState">The service's shared state (a key table, a parameter table…).</typeparam>
/// <typeparam name="TRequest">The AWS-shaped request.</typeparam>
/// <typeparam name="TResource">What the request acts on, named by ARN.</typeparam>
/// <typeparam name="TResponse">The AWS-shaped response.</typeparam>
internal abstract class ServiceOperation<TState, TRequest, TResource, TResponse>
    where TState : ServiceCore
    where TRequest : class
    where TResource : IArnResource
{
    protected ServiceOperation(string service, string name, bool readOnly)
    {
        Operation = new Operation(service, name, readOnly);
    }

    /// <summary>The operation's service, name, IAM action and read-only flag.</summary>
    public Operation Operation { get; }

    /// <summary>Whether the request asks for a dry run.</summary>
    public virtual bool IsDryRun(TRequest request) => request is IDryRunRequest { DryRun: true };

    /// <summary>Checks members, lengths and ranges; touches no state.</summary>
    public abstract void Validate(TRequest request);

    /// <summary>Finds the resource (not-found errors come from here). It may read the store, and apply changes that fell due.</summary>
    public abstract ValueTask<TResource> ResolveAsync(TState state, TRequest request, RequestContext context, CancellationToken cancellationToken);

    /// <summary>The request facts that authorization conditions test.</summary>
    public virtual RequestFacts Facts(TRequest request) => RequestFacts.None;

    /// <summary>Does the work. Override this when the work may do I/O; the default runs <see cref="Execute"/>.</summary>
    public virtual ValueTask<TResponse> ExecuteAsync(TState state, TRequest request, TResource resource, RequestContext context, CancellationToken cancellationToken) =>
        new(Execute(state, request, resource, context));

    /// <summary>Does the work synchronously (operations that do no I/O).</summary>
    protected virtual TResponse Execute(TState state, TRequest request, TResource resource, RequestContext context) =>
        throw new NotSupportedException($"{Operation.Name} overrides neither Execute nor ExecuteAsync.");
}
