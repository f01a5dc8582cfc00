using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>TagResource request.</summary>
public sealed record TagResourceRequest : IKeyIdRequest
{
    /// <summary>Key id or key ARN (aliases are not accepted, as in AWS).</summary>
    public required string KeyId { get; init; }

    /// <summary>Tags to add or overwrite.</summary>
    public required IReadOnlyList<Tag> Tags { get; init; }
}

/// <summary>TagResource response (empty).</summary>
public sealed record TagResourceResponse;
