using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>Verify</c>: Verifies a signature strictly (exact DER, low S); a bad one is KMSInvalidSignatureException.</summary>
internal sealed class Verify() : KeyOperation<VerifyRequest, VerifyResponse>("Verify", readOnly: true, KeyIdForms.Any)
{
    public static Verify Instance { get; } = new();

    public override void Validate(VerifyRequest r)
    {
        KmsValidate.Signing(r.KeyId, r.Message, r.MessageType, r.SigningAlgorithm, r.GrantTokens);
        Internal.Validate.ByteLength(nameof(r.Signature), r.Signature, 1, 6144);
    }

    public override RequestFacts Facts(VerifyRequest r) => new() { KeyId = r.KeyId };

    protected override VerifyResponse Execute(KeyTable keys, VerifyRequest r, KeyRecord key, RequestContext context)
    {
        MessageType type = KeyRules.RequireSigning(key, r.SigningAlgorithm, r.MessageType, r.Message.Length);
        if (!AsymmetricCrypto.Verify(key.KeySpec, key.Current.PublicKey!, r.SigningAlgorithm, type, r.Message.Span, r.Signature.Span))
        {
            throw new KMSInvalidSignatureException();
        }

        return new VerifyResponse { KeyId = key.Arn, SignatureValid = true, SigningAlgorithm = r.SigningAlgorithm };
    }
}
