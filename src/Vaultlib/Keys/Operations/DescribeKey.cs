using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>DescribeKey</c>: Describes a key.</summary>
internal sealed class DescribeKey() : KeyOperation<DescribeKeyRequest, DescribeKeyResponse>("DescribeKey", readOnly: true, KeyIdForms.Any)
{
    public static DescribeKey Instance { get; } = new();

    public override void Validate(DescribeKeyRequest r)
    {
        KmsValidate.KeyId(r.KeyId);
        Internal.Validate.GrantTokens(r.GrantTokens);
    }

    public override RequestFacts Facts(DescribeKeyRequest r) => new() { KeyId = r.KeyId };

    protected override DescribeKeyResponse Execute(KeyTable keys, DescribeKeyRequest r, KeyRecord key, RequestContext context) =>
        new() { KeyMetadata = key.ToMetadata(keys.Options.AccountId) };
}
