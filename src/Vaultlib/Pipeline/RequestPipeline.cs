using Microsoft.Extensions.Logging;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Internal;

namespace Vaultlib.Pipeline;

/// <summary>
/// The one path every request of every Vaultlib service takes: disposal check → validate → resolve
/// the resource → authorize → (a dry run stops here) → execute → record the outcome (log and audit
/// trail). Operations supply the steps (<see cref="ServiceOperation{TState, TRequest, TResource, TResponse}"/>);
/// the order, cancellation, error translation, logging and auditing live here only.
/// </summary>
internal sealed class RequestPipeline(ILogger logger, IRequestAuthorizer authorizer, ServiceErrors errors, AuditRecorder? audit)
{
    /// <summary>The recorder of this service's audit trail, if any.</summary>
    public AuditRecorder? Audit { get; } = audit;

    /// <summary>Runs one request.</summary>
    /// <param name="operation">The operation's handler.</param>
    /// <param name="state">The service's state.</param>
    /// <param name="request">The request; null gives <see cref="ArgumentNullException"/>.</param>
    /// <param name="caller">The façade's bound caller; null means the ambient caller (<see cref="VaultlibCaller"/>), else the account root.</param>
    /// <param name="cancellationToken">Cancels before the work starts, and asynchronous work.</param>
    /// <exception cref="ObjectDisposedException">The service has been disposed.</exception>
    public Task<TResponse> Invoke<TState, TRequest, TResource, TResponse>(
        ServiceOperation<TState, TRequest, TResource, TResponse> operation,
        TState state,
        TRequest request,
        CallerIdentity? caller,
        CancellationToken cancellationToken)
        where TState : ServiceCore
        where TRequest : class
        where TResource : IArnResource
    {
        state.ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(request);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResponse>(cancellationToken);
        }

        var context = new RequestContext(caller ?? VaultlibCaller.Current ?? CallerIdentity.AccountRoot(state.Options), state.Options.Region);
        string resourceName = "*";
        ValueTask<TResponse> pending;
        try
        {
            operation.Validate(request);
            TResource resource = operation.Resolve(state, request, context);
            resourceName = resource.Arn;
            authorizer.Authorize(operation.Operation, resource, operation.Facts(request), context);
            if (operation.IsDryRun(request))
            {
                throw errors.DryRun(operation.Operation.Name);
            }

            pending = operation.ExecuteAsync(state, request, resource, context, cancellationToken);
        }
        catch (Exception ex)
        {
            // Faults surface through the task, as they would from a real network call.
            return Task.FromException<TResponse>(Failed(operation.Operation, request, resourceName, context, ex));
        }

        if (pending.IsCompletedSuccessfully)
        {
            TResponse response = pending.Result;
            Succeeded(operation.Operation, request, response, resourceName, context);
            return Task.FromResult(response);
        }

        return Complete(operation.Operation, request, pending, resourceName, context);
    }

    private async Task<TResponse> Complete<TRequest, TResponse>(Operation operation, TRequest request, ValueTask<TResponse> pending, string resourceName, RequestContext context)
    {
        TResponse response;
        try
        {
            response = await pending.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Exception error = Failed(operation, request, resourceName, context, ex);
            if (ReferenceEquals(error, ex))
            {
                throw;
            }

            throw error;
        }

        Succeeded(operation, request, response, resourceName, context);
        return response;
    }

    private void Succeeded<TRequest, TResponse>(Operation operation, TRequest request, TResponse response, string resourceName, RequestContext context)
    {
        Log.OperationSucceeded(logger, operation.Service, operation.Name, resourceName);
        Audit?.Record(operation, request, response, resourceName, error: null, context);
    }

    private Exception Failed<TRequest>(Operation operation, TRequest request, string resourceName, RequestContext context, Exception ex)
    {
        Exception error = errors.Translate(ex);
        Log.OperationFailed(logger, operation.Service, operation.Name, resourceName, (error as VaultlibException)?.ErrorCode ?? error.GetType().Name);
        Audit?.Record<TRequest, object>(operation, request, default, resourceName, error, context);
        return error;
    }
}
