using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>CancelKeyDeletion</c>: Cancels a scheduled deletion; the key is left disabled (or waiting for its import, when it has no imported material).</summary>
internal sealed class CancelKeyDeletion() : KeyOperation<CancelKeyDeletionRequest, CancelKeyDeletionResponse>("CancelKeyDeletion", readOnly: false, KeyIdForms.KeyIdOrArn)
{
    public static CancelKeyDeletion Instance { get; } = new();

    public override async ValueTask<CancelKeyDeletionResponse> ExecuteAsync(KeyTable keys, CancelKeyDeletionRequest r, KeyRecord key, RequestContext context, CancellationToken cancellationToken)
    {
        if (key.KeyState is not (KeyState.PendingDeletion or KeyState.PendingReplicaDeletion))
        {
            throw KmsErrors.NotPendingDeletion(key.Arn);
        }

        // A key of imported material that has none goes back to waiting for it.
        await keys.MutateAsync(key.KeyId, k => k with { KeyState = k.HasMaterial ? KeyState.Disabled : KeyState.PendingImport, DeletionDate = null, PendingWindowInDays = null }, cancellationToken).ConfigureAwait(false);
        return new CancelKeyDeletionResponse { KeyId = key.Arn };
    }
}
