using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>CreateGrant</c>: Creates a grant (idempotent by name), which authorizes its grantee at once.</summary>
internal sealed class CreateGrant() : KeyOperation<CreateGrantRequest, CreateGrantResponse>("CreateGrant", readOnly: false, KeyIdForms.KeyIdOrArn)
{
    public static CreateGrant Instance { get; } = new();

    public override void Validate(CreateGrantRequest r)
    {
        KmsValidate.KeyId(r.KeyId);
        Internal.Validate.Length(nameof(r.GranteePrincipal), r.GranteePrincipal, 1, 256);
        Internal.Validate.Length(nameof(r.RetiringPrincipal), r.RetiringPrincipal, 1, 256, required: false);
        Internal.Validate.Length(nameof(r.Name), r.Name, 1, 256, required: false);
        Internal.Validate.GrantTokens(r.GrantTokens);
        Internal.Validate.Required(nameof(r.Operations), r.Operations);
        if (r.Operations.Count == 0 || r.Operations.Any(o => !Enum.IsDefined(o)))
        {
            throw new ValidationException(nameof(r.Operations), $"Operations must list one or more of {string.Join(", ", Enum.GetNames<GrantOperation>())}.");
        }

        if (r.Name is not null && !r.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '/' or '_' or '-'))
        {
            throw new ValidationException(nameof(r.Name), "A grant name uses only a-z, A-Z, 0-9, ':', '/', '_' and '-'.");
        }

        if (r.Constraints is { EncryptionContextEquals: not null, EncryptionContextSubset: not null })
        {
            throw new ValidationException(nameof(r.Constraints), "A grant takes EncryptionContextEquals or EncryptionContextSubset, not both.");
        }
    }

    public override async ValueTask<CreateGrantResponse> ExecuteAsync(KeyTable keys, CreateGrantRequest r, KeyRecord key, RequestContext context, CancellationToken cancellationToken)
    {
        KeyRules.RequireNotPendingDeletion(key);
        GrantRecord grant = await keys.AddGrantAsync(
            existing => r.Name is null ? null : existing.FirstOrDefault(g => g.KeyId == key.KeyId && g.Name == r.Name
                && g.GranteePrincipal == r.GranteePrincipal && g.RetiringPrincipal == r.RetiringPrincipal && g.Operations.SequenceEqual(r.Operations)),
            () =>
            {
                string grantId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
                return new GrantRecord
                {
                    GrantId = grantId,
                    GrantToken = Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"vlgt1:{grantId}:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}")),
                    KeyId = key.KeyId,
                    Name = r.Name,
                    GranteePrincipal = r.GranteePrincipal,
                    RetiringPrincipal = r.RetiringPrincipal,
                    Operations = [.. r.Operations.Distinct()],
                    EncryptionContextEquals = r.Constraints?.EncryptionContextEquals?.ToDictionary(StringComparer.Ordinal),
                    EncryptionContextSubset = r.Constraints?.EncryptionContextSubset?.ToDictionary(StringComparer.Ordinal),
                    CreationDate = keys.Now,
                    IssuingAccount = keys.Ids.AccountArn,
                };
            },
            cancellationToken).ConfigureAwait(false);
        return new CreateGrantResponse { GrantId = grant.GrantId, GrantToken = grant.GrantToken };
    }
}
