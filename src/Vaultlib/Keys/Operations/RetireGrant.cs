using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>RetireGrant</c>: Retires a grant, by its token or by key and grant id.</summary>
internal sealed class RetireGrant() : KmsOperation<RetireGrantRequest, GrantResource, RetireGrantResponse>("RetireGrant", readOnly: false)
{
    public static RetireGrant Instance { get; } = new();

    public override void Validate(RetireGrantRequest r)
    {
        if (r.GrantToken is null && (r.KeyId is null || r.GrantId is null))
        {
            throw new ValidationException("GrantToken", "RetireGrant needs the GrantToken, or the KeyId and the GrantId.");
        }
    }

    public override ValueTask<GrantResource> ResolveAsync(KeyTable keys, RetireGrantRequest r, RequestContext context, CancellationToken cancellationToken) => keys.FindGrantAsync(r.GrantToken, r.KeyId, r.GrantId, cancellationToken);

    public override async ValueTask<RetireGrantResponse> ExecuteAsync(KeyTable keys, RetireGrantRequest r, GrantResource grant, RequestContext context, CancellationToken cancellationToken)
    {
        await keys.RemoveGrantAsync(grant.Grant.GrantId, cancellationToken).ConfigureAwait(false);
        return new RetireGrantResponse();
    }
}
