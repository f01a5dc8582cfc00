namespace Vaultlib.Parameters;

/// <summary>DeleteParameter request.</summary>
public sealed record DeleteParameterRequest
{
    /// <summary>The name.</summary>
    public required string Name { get; init; }
}

/// <summary>DeleteParameter response (empty, as AWS's).</summary>
public sealed record DeleteParameterResponse;
