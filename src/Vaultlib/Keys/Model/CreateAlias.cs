namespace Vaultlib.Keys;

/// <summary>CreateAlias request.</summary>
public sealed record CreateAliasRequest
{
    /// <summary><c>alias/</c> then 1-250 of <c>a-zA-Z0-9/_-</c>; not <c>alias/aws/…</c>.</summary>
    public required string AliasName { get; init; }

    /// <summary>Key id or key ARN of a customer managed key.</summary>
    public required string TargetKeyId { get; init; }
}

/// <summary>CreateAlias response (empty).</summary>
public sealed record CreateAliasResponse;
