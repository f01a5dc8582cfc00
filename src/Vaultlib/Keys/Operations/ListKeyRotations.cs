using System.Globalization;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>ListKeyRotations</c>: Lists a key's completed rotations, oldest first, in pages.</summary>
internal sealed class ListKeyRotations() : KeyOperation<ListKeyRotationsRequest, ListKeyRotationsResponse>("ListKeyRotations", readOnly: true, KeyIdForms.KeyIdOrArn)
{
    public static ListKeyRotations Instance { get; } = new();

    public override void Validate(ListKeyRotationsRequest r)
    {
        KmsValidate.KeyId(r.KeyId);
        Internal.Validate.Range(nameof(r.Limit), r.Limit, 1, 1000);
    }

    protected override ListKeyRotationsResponse Execute(KeyTable keys, ListKeyRotationsRequest r, KeyRecord key, RequestContext context)
    {
        KeyRules.RequireRotationQueryable(key, "rotation");

        // Markers sort by zero-padded material version, so pages come oldest first.
        IEnumerable<KeyMaterial> rotations = key.Materials.Where(m => m.RotationType is not null);
        (IReadOnlyList<KeyMaterial> page, string? next) = Page(rotations, m => m.Version.ToString("D10", CultureInfo.InvariantCulture), r.Marker, r.Limit ?? 100);
        return new ListKeyRotationsResponse
        {
            Rotations = [.. page.Select(m => new RotationsListEntry { KeyId = key.KeyId, RotationDate = m.CreationDate, RotationType = m.RotationType!.Value, KeyMaterialId = m.KeyMaterialId })],
            NextMarker = next,
            Truncated = next is not null,
        };
    }
}
