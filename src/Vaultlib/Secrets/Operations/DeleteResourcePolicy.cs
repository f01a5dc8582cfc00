using Vaultlib.Pipeline;

namespace Vaultlib.Secrets.Operations;

/// <summary>Secrets Manager <c>DeleteResourcePolicy</c>: Removes the secret's resource policy (none to remove changes nothing).</summary>
internal sealed class DeleteResourcePolicy() : SecretOperation<DeleteResourcePolicyRequest, DeleteResourcePolicyResponse>("DeleteResourcePolicy", readOnly: false)
{
    public static DeleteResourcePolicy Instance { get; } = new();

    protected override string SecretIdOf(DeleteResourcePolicyRequest request) => request.SecretId;

    public override async ValueTask<DeleteResourcePolicyResponse> ExecuteAsync(SecretTable table, DeleteResourcePolicyRequest r, SecretRecord resolved, RequestContext context, CancellationToken cancellationToken)
    {
        await ChangeAsync(table, resolved, current => new(current.ResourcePolicy is null ? current : current with { ResourcePolicy = null, LastChangedDate = table.Now }), cancellationToken).ConfigureAwait(false);
        return new DeleteResourcePolicyResponse { ARN = resolved.Arn, Name = resolved.Name };
    }
}
