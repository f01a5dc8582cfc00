using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>GenerateDataKeyPair</c>: Returns a fresh key pair, its private key in plaintext and encrypted under a symmetric key.</summary>
internal sealed class GenerateDataKeyPair() : KeyOperation<GenerateDataKeyPairRequest, GenerateDataKeyPairResponse>("GenerateDataKeyPair", readOnly: true, KeyIdForms.Any)
{
    public static GenerateDataKeyPair Instance { get; } = new();

    public override void Validate(GenerateDataKeyPairRequest r) => KmsValidate.DataKeyPair(r.KeyId, r.KeyPairSpec, r.GrantTokens);

    public override RequestFacts Facts(GenerateDataKeyPairRequest r) => new() { KeyId = r.KeyId, EncryptionContext = r.EncryptionContext };

    protected override GenerateDataKeyPairResponse Execute(KeyTable keys, GenerateDataKeyPairRequest r, KeyRecord key, RequestContext context)
    {
        (byte[] blob, byte[] privateKey, byte[] publicKey) = KmsCrypto.GenerateDataKeyPair(key, r.KeyPairSpec, r.EncryptionContext);
        return new GenerateDataKeyPairResponse { PrivateKeyCiphertextBlob = blob, PrivateKeyPlaintext = privateKey, PublicKey = publicKey, KeyId = key.Arn, KeyPairSpec = r.KeyPairSpec };
    }
}
