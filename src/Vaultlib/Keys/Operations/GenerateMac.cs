using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>GenerateMac</c>: Computes an HMAC with an HMAC key.</summary>
internal sealed class GenerateMac() : KeyOperation<GenerateMacRequest, GenerateMacResponse>("GenerateMac", readOnly: true, KeyIdForms.Any)
{
    public static GenerateMac Instance { get; } = new();

    public override void Validate(GenerateMacRequest r) => KmsValidate.Mac(r.KeyId, r.Message, r.MacAlgorithm, r.GrantTokens);

    public override RequestFacts Facts(GenerateMacRequest r) => new() { KeyId = r.KeyId };

    protected override GenerateMacResponse Execute(KeyTable keys, GenerateMacRequest r, KeyRecord key, RequestContext context)
    {
        KeyRules.RequireMac(key, r.MacAlgorithm);
        return new GenerateMacResponse { Mac = AsymmetricCrypto.Mac(key.Current.Secret, r.MacAlgorithm, r.Message.Span), MacAlgorithm = r.MacAlgorithm, KeyId = key.Arn };
    }
}
