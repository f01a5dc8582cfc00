namespace Vaultlib.Secrets;

/// <summary>UntagResource request.</summary>
public sealed record UntagResourceRequest
{
    /// <summary>The secret: its name, full ARN or partial ARN.</summary>
    public required string SecretId { get; init; }

    /// <summary>The keys of the tags to remove (keys it does not have are ignored).</summary>
    public required IReadOnlyList<string> TagKeys { get; init; }
}

/// <summary>UntagResource response (empty, as AWS's).</summary>
public sealed record UntagResourceResponse;
