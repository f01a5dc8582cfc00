using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>
/// KMS <c>UpdatePrimaryRegion</c>: Makes the replica in another Region the primary key and this one a replica.
/// The caller needs <c>kms:UpdatePrimaryRegion</c> on both keys, as in AWS. From then on the new primary rotates
/// and replicates, and pushes its shared properties to every replica.
/// </summary>
internal sealed class UpdatePrimaryRegion() : KeyOperation<UpdatePrimaryRegionRequest, UpdatePrimaryRegionResponse>("UpdatePrimaryRegion", readOnly: false, KeyIdForms.KeyIdOrArn)
{
    public static UpdatePrimaryRegion Instance { get; } = new();

    public override RequestFacts Facts(UpdatePrimaryRegionRequest r) => new()
    {
        OperationKeys = new Dictionary<string, string>(StringComparer.Ordinal) { ["kms:PrimaryRegion"] = r.PrimaryRegion },
    };

    public override void Validate(UpdatePrimaryRegionRequest r)
    {
        KmsValidate.KeyId(r.KeyId);
        KmsValidate.Region(nameof(r.PrimaryRegion), r.PrimaryRegion);
    }

    public override async ValueTask<UpdatePrimaryRegionResponse> ExecuteAsync(KeyTable keys, UpdatePrimaryRegionRequest r, KeyRecord key, RequestContext context, CancellationToken cancellationToken)
    {
        KeyRules.RequireMultiRegionPrimary(key);
        KeyRules.RequireNotPendingDeletion(key);
        if (r.PrimaryRegion == keys.Options.Region)
        {
            throw new ValidationException(nameof(r.PrimaryRegion), $"{key.Arn} is already the primary key.");
        }

        KeyTable target = keys.RegionTable(r.PrimaryRegion);
        KeyRecord replica = key.ReplicaRegions.Contains(r.PrimaryRegion)
            ? await target.FindKeyAsync(key.KeyId, cancellationToken).ConfigureAwait(false) ?? throw KmsErrors.KeyNotFound(key.ArnIn(r.PrimaryRegion))
            : throw KmsErrors.KeyNotFound(key.ArnIn(r.PrimaryRegion));
        target.Authorizer.Authorize(Operation, replica, Facts(r), new RequestContext(context.Caller, r.PrimaryRegion));
        KeyRules.RequireNotPendingDeletion(replica);

        // The new primary takes the shared properties as they are here, with the Regions swapped; its
        // commit then pushes them to every replica, this key among them.
        KeyRecord promoted = key with
        {
            PrimaryRegion = r.PrimaryRegion,
            ReplicaRegions = KeyTable.AddRegion(key.ReplicaRegions.Remove(r.PrimaryRegion), keys.Options.Region),
        };
        await target.MutateAsync(key.KeyId, k => KeyTable.WithSharedProperties(k, promoted), cancellationToken).ConfigureAwait(false);
        return new UpdatePrimaryRegionResponse();
    }
}
