using Vaultlib.Audit;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>CreateGrant request.</summary>
public sealed record CreateGrantRequest : IKeyIdRequest, IDryRunRequest
{
    /// <summary>Key id or key ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>Who the grant is for (an IAM ARN or a service principal).</summary>
    public required string GranteePrincipal { get; init; }

    /// <summary>Who may retire the grant.</summary>
    public string? RetiringPrincipal { get; init; }

    /// <summary>The operations the grant permits (at least one).</summary>
    public required IReadOnlyList<GrantOperation> Operations { get; init; }

    /// <summary>Encryption context the grant requires.</summary>
    public GrantConstraints? Constraints { get; init; }

    /// <summary>Grant tokens (up to 10).</summary>

    [Sensitive]
    public IReadOnlyList<string>? GrantTokens { get; init; }

    /// <summary>A name; creating a grant with the same name and parameters returns the same grant.</summary>
    public string? Name { get; init; }

    /// <summary>Check the request and permissions only.</summary>
    public bool? DryRun { get; init; }
}

/// <summary>CreateGrant response.</summary>
public sealed record CreateGrantResponse
{
    /// <summary>A token the grantee may pass in GrantTokens; grants here are effective at once.</summary>
    [Sensitive]
    public required string GrantToken { get; init; }

    /// <summary>The grant id.</summary>
    public required string GrantId { get; init; }
}
