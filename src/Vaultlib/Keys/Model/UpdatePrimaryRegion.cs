using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>UpdatePrimaryRegion request.</summary>
public sealed record UpdatePrimaryRegionRequest : IKeyIdRequest
{
    /// <summary>Key id or key ARN of the current primary key.</summary>
    public required string KeyId { get; init; }

    /// <summary>The Region of the replica that becomes the primary key.</summary>
    public required string PrimaryRegion { get; init; }
}

/// <summary>UpdatePrimaryRegion response (empty, as AWS's).</summary>
public sealed record UpdatePrimaryRegionResponse;
