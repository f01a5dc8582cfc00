using Vaultlib.Authorization;

namespace Vaultlib.Pipeline;

/// <summary>
/// What travels with one request through the pipeline: who is calling and how
/// (<see cref="CallerIdentity"/>: principal, transport, source address, via service, MFA,
/// principal tags, user agent), and the region the request was sent to (<c>aws:RequestedRegion</c>).
/// Made once per request, explicitly; nothing downstream reads ambient state.
/// </summary>
internal sealed record RequestContext(CallerIdentity Caller, string RequestedRegion)
{
    /// <summary>When the request started, on the service's clock (<see cref="TimeProvider.GetTimestamp"/>), for its duration metric.</summary>
    public long StartedAt { get; init; }
}

/// <summary>
/// The facts of a request that authorization conditions test, declared by each operation
/// (<see cref="ServiceOperation{TState, TRequest, TResource, TResponse}.Facts"/>), so that no
/// authorizer switches over request types.
/// </summary>
internal sealed record RequestFacts
{
    public static RequestFacts None { get; } = new();

    /// <summary>The key identifier as the request gave it (for <c>kms:RequestAlias</c>).</summary>
    public string? KeyId { get; init; }

    /// <summary>The encryption context the request carries (for <c>kms:EncryptionContext:*</c> and grant constraints).</summary>
    public IReadOnlyDictionary<string, string>? EncryptionContext { get; init; }

    /// <summary>The tags the request sets (for <c>aws:RequestTag/*</c> and <c>aws:TagKeys</c>).</summary>
    public IReadOnlyDictionary<string, string>? RequestTags { get; init; }

    /// <summary>The tag keys the request names without values, as UntagResource does (for <c>aws:TagKeys</c>).</summary>
    public IReadOnlyList<string>? TagKeys { get; init; }

    /// <summary>The request's <c>BypassPolicyLockoutSafetyCheck</c> (for <c>kms:BypassPolicyLockoutSafetyCheck</c>), when it has one.</summary>
    public bool? BypassPolicyLockoutSafetyCheck { get; init; }

    /// <summary>Condition keys only this operation supplies, by full name (<c>kms:ReplicaRegion</c>, <c>kms:WrappingAlgorithm</c>…).</summary>
    public IReadOnlyDictionary<string, string>? OperationKeys { get; init; }
}
