using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>ListKeyPolicies</c>: Lists a key's policy names: always just <c>default</c>.</summary>
internal sealed class ListKeyPolicies() : KeyOperation<ListKeyPoliciesRequest, ListKeyPoliciesResponse>("ListKeyPolicies", readOnly: true, KeyIdForms.KeyIdOrArn)
{
    public static ListKeyPolicies Instance { get; } = new();

    public override void Validate(ListKeyPoliciesRequest r)
    {
        KmsValidate.KeyId(r.KeyId);
        Internal.Validate.Range(nameof(r.Limit), r.Limit, 1, 1000);
    }

    protected override ListKeyPoliciesResponse Execute(KeyTable keys, ListKeyPoliciesRequest r, KeyRecord key, RequestContext context)
    {
        (IReadOnlyList<string> page, string? next) = Page(["default"], n => n, r.Marker, r.Limit ?? 100);
        return new ListKeyPoliciesResponse { PolicyNames = page, NextMarker = next, Truncated = next is not null };
    }
}
