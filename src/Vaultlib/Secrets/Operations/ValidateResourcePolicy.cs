using Vaultlib.Pipeline;

namespace Vaultlib.Secrets.Operations;

/// <summary>
/// Secrets Manager <c>ValidateResourcePolicy</c>: Checks a policy without attaching it: syntax errors are
/// <see cref="MalformedPolicyDocumentException"/>; a policy that gives broad access fails the check Vaultlib names
/// <c>BROAD_ACCESS</c> (AWS's own check names are not documented). With a <c>SecretId</c>, the secret must exist.
/// </summary>
internal sealed class ValidateResourcePolicy() : SmOperation<ValidateResourcePolicyRequest, IArnResource, ValidateResourcePolicyResponse>("ValidateResourcePolicy", readOnly: true)
{
    public static ValidateResourcePolicy Instance { get; } = new();

    public override void Validate(ValidateResourcePolicyRequest r)
    {
        if (r.SecretId is not null)
        {
            SecretNames.ValidateId(r.SecretId);
        }

        Internal.Validate.Length("ResourcePolicy", r.ResourcePolicy, 1, SecretPolicies.MaxLength);
    }

    public override async ValueTask<IArnResource> ResolveAsync(SecretTable table, ValidateResourcePolicyRequest r, RequestContext context, CancellationToken cancellationToken) =>
        r.SecretId is null ? table.Account : await table.FindAsync(r.SecretId, cancellationToken).ConfigureAwait(false) ?? throw SmErrors.NotFound();

    protected override ValidateResourcePolicyResponse Execute(SecretTable table, ValidateResourcePolicyRequest r, IArnResource resource, RequestContext context)
    {
        List<ValidationErrorsEntry> errors = [.. SecretPolicies.BroadAccess(SecretPolicies.Parse(r.ResourcePolicy))
            .Select(statement => new ValidationErrorsEntry { CheckName = "BROAD_ACCESS", ErrorMessage = $"The statement {statement} allows every principal with no condition." })];
        return new ValidateResourcePolicyResponse { PolicyValidationPassed = errors.Count == 0, ValidationErrors = errors };
    }
}
