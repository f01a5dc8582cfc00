namespace Vaultlib.Keys;

/// <summary>One rotation in a <see cref="ListKeyRotationsResponse"/> (AWS <c>RotationsListEntry</c>).</summary>
public sealed record RotationsListEntry
{
    /// <summary>The key id.</summary>
    public required string KeyId { get; init; }

    /// <summary>When the rotation happened.</summary>
    public required DateTimeOffset RotationDate { get; init; }

    /// <summary>Automatic or on demand.</summary>
    public required RotationType RotationType { get; init; }

    /// <summary>The id of the material the rotation created.</summary>
    public required string KeyMaterialId { get; init; }
}
