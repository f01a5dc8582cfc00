using Vaultlib.Audit;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>DescribeKey request.</summary>
public sealed record DescribeKeyRequest : IKeyIdRequest
{
    /// <summary>Key id, key ARN, alias name or alias ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>Grant tokens (up to 10).</summary>

    [Sensitive]
    public IReadOnlyList<string>? GrantTokens { get; init; }
}

/// <summary>DescribeKey response.</summary>
public sealed record DescribeKeyResponse
{
    /// <summary>The key.</summary>
    public required KeyMetadata KeyMetadata { get; init; }
}
