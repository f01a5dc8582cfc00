using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>RevokeGrant request.</summary>
public sealed record RevokeGrantRequest : IKeyIdRequest, IDryRunRequest
{
    /// <summary>Key id or key ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>The grant id.</summary>
    public required string GrantId { get; init; }

    /// <summary>Check the request and permissions only.</summary>
    public bool? DryRun { get; init; }
}

/// <summary>RevokeGrant response (empty).</summary>
public sealed record RevokeGrantResponse;
