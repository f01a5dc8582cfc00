using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>UpdateKeyDescription request.</summary>
public sealed record UpdateKeyDescriptionRequest : IKeyIdRequest
{
    /// <summary>Key id, key ARN, alias name or alias ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>The new description, 0-8192 characters.</summary>
    public required string Description { get; init; }
}

/// <summary>UpdateKeyDescription response (empty).</summary>
public sealed record UpdateKeyDescriptionResponse;
