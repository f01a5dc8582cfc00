using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>UntagResource request.</summary>
public sealed record UntagResourceRequest : IKeyIdRequest
{
    /// <summary>Key id or key ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>Tag keys to remove.</summary>
    public required IReadOnlyList<string> TagKeys { get; init; }
}

/// <summary>UntagResource response (empty).</summary>
public sealed record UntagResourceResponse;
