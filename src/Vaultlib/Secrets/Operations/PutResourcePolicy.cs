using Vaultlib.Pipeline;

namespace Vaultlib.Secrets.Operations;

/// <summary>
/// Secrets Manager <c>PutResourcePolicy</c>: Attaches a resource policy, which the authorizer then evaluates with the
/// caller's identity policies; with <c>BlockPublicPolicy</c>, one that gives broad access is <see cref="PublicPolicyException"/>.
/// </summary>
internal sealed class PutResourcePolicy() : SecretOperation<PutResourcePolicyRequest, PutResourcePolicyResponse>("PutResourcePolicy", readOnly: false)
{
    public static PutResourcePolicy Instance { get; } = new();

    protected override string SecretIdOf(PutResourcePolicyRequest request) => request.SecretId;

    public override void Validate(PutResourcePolicyRequest r)
    {
        base.Validate(r);
        var policy = SecretPolicies.Parse(r.ResourcePolicy);
        if (r.BlockPublicPolicy == true && SecretPolicies.BroadAccess(policy).FirstOrDefault() is { } statement)
        {
            throw new PublicPolicyException($"The BlockPublicPolicy parameter is set and the resource policy grants broad access ({statement}).");
        }
    }

    public override async ValueTask<PutResourcePolicyResponse> ExecuteAsync(SecretTable table, PutResourcePolicyRequest r, SecretRecord resolved, RequestContext context, CancellationToken cancellationToken)
    {
        await ChangeAsync(table, resolved, current => new(current with { ResourcePolicy = r.ResourcePolicy, LastChangedDate = table.Now }), cancellationToken).ConfigureAwait(false);
        return new PutResourcePolicyResponse { ARN = resolved.Arn, Name = resolved.Name };
    }
}
