using Microsoft.Extensions.Logging;
using Vaultlib.Internal;

namespace Vaultlib.Pipeline;

/// <summary>Something a request acts on, named by its ARN for authorization, audit and logs.</summary>
internal interface IArnResource
{
    string Arn { get; }
}

/// <summary>The account itself: the resource of operations that name no resource (CreateKey, ListKeys, GenerateRandom).</summary>
internal sealed record AccountResource(string Arn) : IArnResource;

/// <summary>One operation of one service, as CloudTrail names it.</summary>
/// <param name="Service">The short service name, e.g. <c>kms</c>.</param>
/// <param name="Name">The AWS operation name, e.g. <c>Encrypt</c>.</param>
/// <param name="ReadOnly">Whether the operation changes nothing (CloudTrail's <c>readOnly</c>).</param>
internal sealed record Operation(string Service, string Name, bool ReadOnly)
{
    /// <summary>The IAM action, e.g. <c>kms:Encrypt</c>.</summary>
    public string Action { get; } = $"{Service}:{Name}";
}

/// <summary>Decides whether a request may proceed. The default lets the account root do everything, as AWS's default key policy does.</summary>
internal interface IRequestAuthorizer
{
    /// <summary>Throws <see cref="AccessDeniedException"/> when the operation is not allowed on the resource.</summary>
    void Authorize(Operation operation, IArnResource resource, object request);
}

/// <summary>The account root's view: every action on the account's own resources is allowed.</summary>
internal sealed class AccountRootAuthorizer : IRequestAuthorizer
{
    public static AccountRootAuthorizer Instance { get; } = new();

    public void Authorize(Operation operation, IArnResource resource, object request)
    {
    }
}

/// <summary>
/// The one path every request of every Vaultlib service takes: validate → resolve the resource →
/// authorize → (dry run stops here) → execute → record the outcome (log and audit trail). Services
/// supply the steps; the order, cancellation, logging and auditing live here only.
/// </summary>
internal sealed class RequestPipeline
{
    private readonly ILogger _logger;
    private readonly IRequestAuthorizer _authorizer;
    private readonly Audit.AuditRecorder? _audit;

    public RequestPipeline(ILogger logger, IRequestAuthorizer? authorizer = null, Audit.AuditRecorder? audit = null)
    {
        _logger = logger;
        _authorizer = authorizer ?? AccountRootAuthorizer.Instance;
        _audit = audit;
    }

    /// <summary>Runs one request through the pipeline.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="request">The request; null gives <see cref="ArgumentNullException"/>.</param>
    /// <param name="validate">Checks members and ranges (<see cref="ValidationException"/>).</param>
    /// <param name="resolve">Finds the resource (not-found errors come from here).</param>
    /// <param name="execute">Does the work.</param>
    /// <param name="dryRun">Whether the request set <c>DryRun</c>.</param>
    /// <param name="cancellationToken">Cancels before the work starts.</param>
    public Task<TResponse> Invoke<TRequest, TResource, TResponse>(
        Operation operation,
        TRequest request,
        Action<TRequest> validate,
        Func<TRequest, TResource> resolve,
        Func<TRequest, TResource, TResponse> execute,
        bool dryRun,
        CancellationToken cancellationToken)
        where TRequest : class
        where TResource : IArnResource
    {
        ArgumentNullException.ThrowIfNull(request);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResponse>(cancellationToken);
        }

        string resourceName = "*";
        try
        {
            validate(request);
            TResource resource = resolve(request);
            resourceName = resource.Arn;
            _authorizer.Authorize(operation, resource, request);
            if (dryRun)
            {
                throw new DryRunOperationException(operation.Name);
            }

            TResponse response = execute(request, resource);
            Log.OperationSucceeded(_logger, operation.Service, operation.Name, resourceName);
            _audit?.Record(operation, request, response, resourceName, error: null);
            return Task.FromResult(response);
        }
        catch (Exception ex)
        {
            // Faults surface through the task, as they would from a real network call.
            Log.OperationFailed(_logger, operation.Service, operation.Name, resourceName, (ex as VaultlibException)?.ErrorCode ?? ex.GetType().Name);
            _audit?.Record<TRequest, TResponse>(operation, request, default, resourceName, ex);
            return Task.FromException<TResponse>(ex);
        }
    }
}
