using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>CancelKeyDeletion</c>: Cancels a scheduled deletion; the key is left disabled.</summary>
internal sealed class CancelKeyDeletion() : KeyOperation<CancelKeyDeletionRequest, CancelKeyDeletionResponse>("CancelKeyDeletion", readOnly: false, KeyIdForms.KeyIdOrArn)
{
    public static CancelKeyDeletion Instance { get; } = new();

    public override async ValueTask<CancelKeyDeletionResponse> ExecuteAsync(KeyTable keys, CancelKeyDeletionRequest r, KeyRecord key, RequestContext context, CancellationToken cancellationToken)
    {
        if (key.KeyState != KeyState.PendingDeletion)
        {
            throw KmsErrors.NotPendingDeletion(key.Arn);
        }

        await keys.MutateAsync(key.KeyId, k => k with { KeyState = KeyState.Disabled, DeletionDate = null, PendingWindowInDays = null }, cancellationToken).ConfigureAwait(false);
        return new CancelKeyDeletionResponse { KeyId = key.Arn };
    }
}
