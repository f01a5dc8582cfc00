namespace Vaultlib.Secrets;

/// <summary>TagResource request: adds tags, or changes the values of keys the secret has.</summary>
public sealed record TagResourceRequest
{
    /// <summary>The secret: its name, full ARN or partial ARN.</summary>
    public required string SecretId { get; init; }

    /// <summary>The tags; the secret holds at most 50.</summary>
    public required IReadOnlyList<Tag> Tags { get; init; }
}

/// <summary>TagResource response (empty, as AWS's).</summary>
public sealed record TagResourceResponse;
