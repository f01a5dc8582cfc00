using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>PutKeyPolicy request.</summary>
public sealed record PutKeyPolicyRequest : IKeyIdRequest
{
    /// <summary>Any KeyId form.</summary>
    public required string KeyId { get; init; }

    /// <summary>Always <c>default</c> (the only key policy name).</summary>
    public string? PolicyName { get; init; }

    /// <summary>The key policy, 1-32768 characters of IAM policy JSON.</summary>
    public required string Policy { get; init; }

    /// <summary>Skips the check that the new policy still lets the caller change it.</summary>
    public bool? BypassPolicyLockoutSafetyCheck { get; init; }
}

/// <summary>PutKeyPolicy response (empty).</summary>
public sealed record PutKeyPolicyResponse;
