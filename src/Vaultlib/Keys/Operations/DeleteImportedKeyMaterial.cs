using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>
/// KMS <c>DeleteImportedKeyMaterial</c>: Deletes (zeroes) a key's imported material at once; the key waits in
/// PendingImport until the same material is imported again.
/// </summary>
internal sealed class DeleteImportedKeyMaterial() : KeyOperation<DeleteImportedKeyMaterialRequest, DeleteImportedKeyMaterialResponse>("DeleteImportedKeyMaterial", readOnly: false, KeyIdForms.KeyIdOrArn)
{
    public static DeleteImportedKeyMaterial Instance { get; } = new();

    public override async ValueTask<DeleteImportedKeyMaterialResponse> ExecuteAsync(KeyTable keys, DeleteImportedKeyMaterialRequest r, KeyRecord key, RequestContext context, CancellationToken cancellationToken)
    {
        KeyRules.RequireExternal(key);
        KeyRules.RequireNotPendingDeletion(key);
        string? materialId = key.HasMaterial ? key.Current.KeyMaterialId : null;
        await keys.MutateAsync(
            key.KeyId,
            k => k.HasMaterial ? k with { Materials = [], ExpirationModel = null, ValidTo = null, KeyState = KeyState.PendingImport } : k,
            cancellationToken).ConfigureAwait(false);
        return new DeleteImportedKeyMaterialResponse { KeyId = key.Arn, KeyMaterialId = materialId };
    }
}
