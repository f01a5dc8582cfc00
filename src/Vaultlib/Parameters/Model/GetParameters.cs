namespace Vaultlib.Parameters;

/// <summary>GetParameters request.</summary>
public sealed record GetParametersRequest
{
    /// <summary>1-10 names, each with an optional selector.</summary>
    public required IReadOnlyList<string> Names { get; init; }

    /// <summary>Decrypt SecureStrings.</summary>
    public bool? WithDecryption { get; init; }
}

/// <summary>GetParameters response.</summary>
public sealed record GetParametersResponse
{
    /// <summary>The parameters found, in request order.</summary>
    public required IReadOnlyList<Parameter> Parameters { get; init; }

    /// <summary>The names (as given) that name no parameter or version.</summary>
    public required IReadOnlyList<string> InvalidParameters { get; init; }
}
