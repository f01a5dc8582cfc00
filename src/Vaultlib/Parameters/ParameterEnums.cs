namespace Vaultlib.Parameters;

// Members keep AWS's spelling so that code written against the AWS SDK compiles against Vaultlib unchanged.

/// <summary>The type of a parameter (AWS <c>ParameterType</c>).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "AWS's member name: ParameterType.String.")]
public enum ParameterType
{
    /// <summary>Any string.</summary>
    String,

    /// <summary>A comma-separated list of strings.</summary>
    StringList,

    /// <summary>A string stored encrypted under a KMS key.</summary>
    SecureString,
}

/// <summary>The tier of a parameter (AWS <c>ParameterTier</c>).</summary>
public enum ParameterTier
{
    /// <summary>Values up to 4 KB; no policies.</summary>
    Standard,

    /// <summary>Values up to 8 KB; parameter policies.</summary>
    Advanced,

    /// <summary>Standard when the parameter fits it, Advanced when it needs to (AWS's <c>Intelligent-Tiering</c>).</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("Intelligent-Tiering")]
    IntelligentTiering,
}
