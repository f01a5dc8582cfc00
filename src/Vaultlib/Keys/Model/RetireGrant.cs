using Vaultlib.Audit;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>RetireGrant request: the grant token, or the key and grant id.</summary>
public sealed record RetireGrantRequest : IDryRunRequest
{
    /// <summary>The grant's token.</summary>
    [Sensitive]
    public string? GrantToken { get; init; }

    /// <summary>Key ARN (with <see cref="GrantId"/>).</summary>
    public string? KeyId { get; init; }

    /// <summary>The grant id (with <see cref="KeyId"/>).</summary>
    public string? GrantId { get; init; }

    /// <summary>Check the request and permissions only.</summary>
    public bool? DryRun { get; init; }
}

/// <summary>RetireGrant response (empty).</summary>
public sealed record RetireGrantResponse;
