using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>CancelKeyDeletion request.</summary>
public sealed record CancelKeyDeletionRequest : IKeyIdRequest
{
    /// <summary>Key id, key ARN, alias name or alias ARN.</summary>
    public required string KeyId { get; init; }
}

/// <summary>CancelKeyDeletion response. The key is left <see cref="KeyState.Disabled"/>.</summary>
public sealed record CancelKeyDeletionResponse
{
    /// <summary>The key ARN.</summary>
    public required string KeyId { get; init; }
}
