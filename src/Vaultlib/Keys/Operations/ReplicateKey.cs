using System.Collections.Immutable;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>
/// KMS <c>ReplicateKey</c>: Creates a replica of a multi-Region primary key in another Region of the same
/// <see cref="VaultlibHost"/>: the same key id and material (a ciphertext of one decrypts in the other), its own
/// description, policy, tags, aliases and grants. The caller also needs <c>kms:CreateKey</c> in the replica's
/// Region, as in AWS.
/// </summary>
internal sealed class ReplicateKey() : KeyOperation<ReplicateKeyRequest, ReplicateKeyResponse>("ReplicateKey", readOnly: false, KeyIdForms.KeyIdOrArn)
{
    public static ReplicateKey Instance { get; } = new();

    public override RequestFacts Facts(ReplicateKeyRequest r) => new()
    {
        BypassPolicyLockoutSafetyCheck = r.BypassPolicyLockoutSafetyCheck ?? false,
        RequestTags = CreateKey.RequestTags(r.Tags),
        OperationKeys = new Dictionary<string, string>(StringComparer.Ordinal) { ["kms:ReplicaRegion"] = r.ReplicaRegion },
    };

    public override void Validate(ReplicateKeyRequest r)
    {
        KmsValidate.KeyId(r.KeyId);
        KmsValidate.Region(nameof(r.ReplicaRegion), r.ReplicaRegion);

        Internal.Validate.Length(nameof(r.Description), r.Description, 0, 8192, required: false);
        CreateKey.ValidateTagsAndPolicy(r.Tags, r.Policy);
    }

    public override async ValueTask<ReplicateKeyResponse> ExecuteAsync(KeyTable keys, ReplicateKeyRequest r, KeyRecord key, RequestContext context, CancellationToken cancellationToken)
    {
        KeyRules.RequireMultiRegionPrimary(key);
        KeyRules.RequireNotPendingDeletion(key);
        if (r.ReplicaRegion == keys.Options.Region)
        {
            throw new ValidationException(nameof(r.ReplicaRegion), $"{r.ReplicaRegion} is the Region of the primary key; a replica goes to another Region.");
        }

        KeyTable target = keys.RegionTable(r.ReplicaRegion);
        var replicaContext = new RequestContext(context.Caller, r.ReplicaRegion);
        target.Authorizer.Authorize(CreateKey.Instance.Operation, target.Account, CreateKey.Instance.Facts(new CreateKeyRequest { Tags = r.Tags, MultiRegion = true, KeySpec = key.KeySpec, KeyUsage = key.KeyUsage, Origin = key.Origin }), replicaContext);
        if (key.ReplicaRegions.Contains(r.ReplicaRegion) || await target.FindKeyAsync(key.KeyId, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new AlreadyExistsException($"{key.ArnIn(r.ReplicaRegion)} already exists.");
        }

        ImmutableSortedDictionary<string, string> tags = CreateKey.TagSet(r.Tags);
        KeyRecord replica = target.NewReplica(key, r.Description ?? string.Empty, r.Policy ?? target.DefaultKeyPolicy(), tags);
        try
        {
            if (r.Policy is not null && r.BypassPolicyLockoutSafetyCheck != true)
            {
                PutKeyPolicy.RequireNoLockout(target, r.Policy, replica, replicaContext);
            }

            await target.AddAsync(replica, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            replica.ReleaseSecrets();
            throw;
        }

        // The primary's list of Regions is a shared property: committing it pushes it to every replica.
        await keys.MutateAsync(key.KeyId, k => k with { ReplicaRegions = KeyTable.AddRegion(k.ReplicaRegions, r.ReplicaRegion) }, cancellationToken).ConfigureAwait(false);
        KeyRecord created = target.FindKeyUntouched(key.KeyId) ?? replica;
        return new ReplicateKeyResponse
        {
            ReplicaKeyMetadata = created.ToMetadata(target.Options.AccountId),
            ReplicaPolicy = created.Policy,
            ReplicaTags = [.. created.Tags.Select(t => new Tag { TagKey = t.Key, TagValue = t.Value })],
        };
    }
}
