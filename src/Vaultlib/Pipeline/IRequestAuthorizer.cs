namespace Vaultlib.Pipeline;

/// <summary>Decides whether a request may proceed.</summary>
internal interface IRequestAuthorizer
{
    /// <summary>Throws the service's access-denied error when the operation is not allowed on the resource.</summary>
    void Authorize(Operation operation, IArnResource resource, RequestFacts facts, RequestContext context);
}
