using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>RotateKeyOnDemand request.</summary>
public sealed record RotateKeyOnDemandRequest : IKeyIdRequest
{
    /// <summary>Key id or key ARN of a symmetric customer managed key.</summary>
    public required string KeyId { get; init; }
}

/// <summary>RotateKeyOnDemand response.</summary>
public sealed record RotateKeyOnDemandResponse
{
    /// <summary>The key id.</summary>
    public required string KeyId { get; init; }
}
