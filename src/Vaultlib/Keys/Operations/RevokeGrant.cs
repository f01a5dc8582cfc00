using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>RevokeGrant</c>: Revokes a grant of a key.</summary>
internal sealed class RevokeGrant() : KeyOperation<RevokeGrantRequest, RevokeGrantResponse>("RevokeGrant", readOnly: false, KeyIdForms.KeyIdOrArn)
{
    public static RevokeGrant Instance { get; } = new();

    public override void Validate(RevokeGrantRequest r)
    {
        KmsValidate.KeyId(r.KeyId);
        Internal.Validate.Length(nameof(r.GrantId), r.GrantId, 1, 128);
    }

    public override async ValueTask<RevokeGrantResponse> ExecuteAsync(KeyTable keys, RevokeGrantRequest r, KeyRecord key, RequestContext context, CancellationToken cancellationToken)
    {
        if (keys.FindGrantById(r.GrantId) is not { } grant || grant.KeyId != key.KeyId)
        {
            throw KmsErrors.NotAGrantOf(r.GrantId, key.Arn);
        }

        await keys.RemoveGrantAsync(grant.GrantId, cancellationToken).ConfigureAwait(false);
        return new RevokeGrantResponse();
    }
}
