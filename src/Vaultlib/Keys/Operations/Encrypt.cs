using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>Encrypt</c>: Encrypts up to 4096 bytes under a symmetric key (the blob format) or an RSA key (RSA-OAEP).</summary>
internal sealed class Encrypt() : KeyOperation<EncryptRequest, EncryptResponse>("Encrypt", readOnly: true, KeyIdForms.Any)
{
    public static Encrypt Instance { get; } = new();

    public override void Validate(EncryptRequest r)
    {
        KmsValidate.KeyId(r.KeyId);
        Internal.Validate.ByteLength(nameof(r.Plaintext), r.Plaintext, 1, KeyService.MaxPlaintextLength);
        Internal.Validate.Defined(nameof(r.EncryptionAlgorithm), r.EncryptionAlgorithm);
        Internal.Validate.GrantTokens(r.GrantTokens);
    }

    public override RequestFacts Facts(EncryptRequest r) => new() { KeyId = r.KeyId, EncryptionContext = r.EncryptionContext };

    protected override EncryptResponse Execute(KeyTable keys, EncryptRequest r, KeyRecord key, RequestContext context)
    {
        (byte[] blob, EncryptionAlgorithmSpec algorithm) = KmsCrypto.EncryptAny(key, r.EncryptionAlgorithm, r.Plaintext.Span, r.EncryptionContext, "EncryptionContext");
        return new EncryptResponse { CiphertextBlob = blob, KeyId = key.Arn, EncryptionAlgorithm = algorithm };
    }
}
