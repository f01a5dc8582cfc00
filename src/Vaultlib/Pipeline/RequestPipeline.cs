using System.Diagnostics;
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

        var context = new RequestContext(caller ?? VaultlibCaller.Current ?? state.AccountRoot, state.Options.Region) { StartedAt = state.Time.GetTimestamp() };

        // The call's span is Activity.Current while its steps run, so what they cause nests under it. This method is not
        // async: when the call goes on asynchronously, the caller's Activity.Current is put back before returning (the
        // continuation keeps the span through its own execution context).
        Activity? parent = Activity.Current;
        Activity? activity = PipelineTracing.Start(operation.Operation, context);
        ValueTask<TResource> resolving;
        try
        {
            operation.Validate(request);
            resolving = operation.ResolveAsync(state, request, context, cancellationToken);
        }
        catch (Exception ex)
        {
            // Faults surface through the task, as they would from a real network call.
            return Task.FromException<TResponse>(Failed(operation.Operation, request, "*", context, state.Time, activity, ex));
        }

        if (!resolving.IsCompletedSuccessfully)
        {
            return Detach(CompleteAsync(operation, state, request, resolving.AsTask(), context, activity, cancellationToken), activity, parent);
        }

        // The common case, all in memory: no state machine, no task allocated beyond the result.
        TResource resource = resolving.Result;
        ValueTask<TResponse> executing;
        try
        {
            executing = Authorized(operation, state, request, resource, context, cancellationToken);
        }
        catch (Exception ex)
        {
            return Task.FromException<TResponse>(Failed(operation.Operation, request, resource.Arn, context, state.Time, activity, ex));
        }

        if (executing.IsCompletedSuccessfully)
        {
            TResponse response = executing.Result;
            Succeeded(operation.Operation, request, response, resource.Arn, context, state.Time, activity);
            return Task.FromResult(response);
        }

        return Detach(CompleteAsync(operation, state, request, Task.FromResult(resource), context, activity, cancellationToken, executing.AsTask()), activity, parent);
    }

    /// <summary>Puts the caller's <see cref="Activity.Current"/> back once the call has gone asynchronous (its span ends in <see cref="CompleteAsync"/>).</summary>
    private static Task<TResponse> Detach<TResponse>(Task<TResponse> running, Activity? activity, Activity? parent)
    {
        if (activity is not null)
        {
            Activity.Current = parent;
        }

        return running;
    }

    private ValueTask<TResponse> Authorized<TState, TRequest, TResource, TResponse>(
        ServiceOperation<TState, TRequest, TResource, TResponse> operation, TState state, TRequest request, TResource resource, RequestContext context, CancellationToken cancellationToken)
        where TState : ServiceCore
        where TRequest : class
        where TResource : IArnResource
    {
        authorizer.Authorize(operation.Operation, resource, operation.Facts(request), context);
        if (operation.IsDryRun(request))
        {
            throw errors.DryRun(operation.Operation.Name);
        }

        return operation.ExecuteAsync(state, request, resource, context, cancellationToken);
    }

    private async Task<TResponse> CompleteAsync<TState, TRequest, TResource, TResponse>(
        ServiceOperation<TState, TRequest, TResource, TResponse> operation,
        TState state,
        TRequest request,
        Task<TResource> resolving,
        RequestContext context,
        Activity? activity,
        CancellationToken cancellationToken,
        Task<TResponse>? executing = null)
        where TState : ServiceCore
        where TRequest : class
        where TResource : IArnResource
    {
        string resourceName = "*";
        TResponse response;
        try
        {
            TResource resource = await resolving.ConfigureAwait(false);
            resourceName = resource.Arn;
            response = executing is not null
                ? await executing.ConfigureAwait(false)
                : await Authorized(operation, state, request, resource, context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Exception error = Failed(operation.Operation, request, resourceName, context, state.Time, activity, ex);
            if (ReferenceEquals(error, ex))
            {
                throw;
            }

            throw error;
        }
        catch (OperationCanceledException)
        {
            PipelineTracing.Stop(activity, nameof(OperationCanceledException));
            throw;
        }

        Succeeded(operation.Operation, request, response, resourceName, context, state.Time, activity);
        return response;
    }

    private void Succeeded<TRequest, TResponse>(Operation operation, TRequest request, TResponse response, string resourceName, RequestContext context, TimeProvider time, Activity? activity)
    {
        Log.OperationSucceeded(logger, operation.Service, operation.Name, resourceName);
        PipelineMetrics.Record(operation, context, time, errorCode: null);
        Audit?.Record(operation, request, response, resourceName, error: null, context);
        PipelineTracing.Stop(activity, errorCode: null);
    }

    private Exception Failed<TRequest>(Operation operation, TRequest request, string resourceName, RequestContext context, TimeProvider time, Activity? activity, Exception ex)
    {
        Exception error = errors.Translate(ex);
        string errorCode = VaultlibException.CodeOf(error);
        Log.OperationFailed(logger, operation.Service, operation.Name, resourceName, errorCode);
        PipelineMetrics.Record(operation, context, time, errorCode);
        Audit?.Record<TRequest, object>(operation, request, default, resourceName, error, context);
        PipelineTracing.Stop(activity, errorCode);
        return error;
    }
}
