using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>Sign</c>: Signs a message or digest with an asymmetric signing key.</summary>
internal sealed class Sign() : KeyOperation<SignRequest, SignResponse>("Sign", readOnly: true, KeyIdForms.Any)
{
    public static Sign Instance { get; } = new();

    public override void Validate(SignRequest r) => KmsValidate.Signing(r.KeyId, r.Message, r.MessageType, r.SigningAlgorithm, r.GrantTokens);

    public override RequestFacts Facts(SignRequest r) => new() { KeyId = r.KeyId };

    protected override SignResponse Execute(KeyTable keys, SignRequest r, KeyRecord key, RequestContext context)
    {
        MessageType type = KeyRules.RequireSigning(key, r.SigningAlgorithm, r.MessageType, r.Message.Length);
        byte[] signature = AsymmetricCrypto.Sign(key.KeySpec, key.Current.Secret, r.SigningAlgorithm, type, r.Message.Span);
        return new SignResponse { KeyId = key.Arn, Signature = signature, SigningAlgorithm = r.SigningAlgorithm };
    }
}
