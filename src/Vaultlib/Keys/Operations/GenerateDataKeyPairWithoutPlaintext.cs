using System.Security.Cryptography;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>GenerateDataKeyPairWithoutPlaintext</c>: Returns a fresh key pair with its private key encrypted under a symmetric key only.</summary>
internal sealed class GenerateDataKeyPairWithoutPlaintext() : KeyOperation<GenerateDataKeyPairWithoutPlaintextRequest, GenerateDataKeyPairWithoutPlaintextResponse>("GenerateDataKeyPairWithoutPlaintext", readOnly: true, KeyIdForms.Any)
{
    public static GenerateDataKeyPairWithoutPlaintext Instance { get; } = new();

    public override void Validate(GenerateDataKeyPairWithoutPlaintextRequest r) => KmsValidate.DataKeyPair(r.KeyId, r.KeyPairSpec, r.GrantTokens);

    public override RequestFacts Facts(GenerateDataKeyPairWithoutPlaintextRequest r) => new() { KeyId = r.KeyId, EncryptionContext = r.EncryptionContext };

    protected override GenerateDataKeyPairWithoutPlaintextResponse Execute(KeyTable keys, GenerateDataKeyPairWithoutPlaintextRequest r, KeyRecord key, RequestContext context)
    {
        (byte[] blob, byte[] privateKey, byte[] publicKey) = KmsCrypto.GenerateDataKeyPair(key, r.KeyPairSpec, r.EncryptionContext);
        CryptographicOperations.ZeroMemory(privateKey);
        return new GenerateDataKeyPairWithoutPlaintextResponse { PrivateKeyCiphertextBlob = blob, PublicKey = publicKey, KeyId = key.Arn, KeyPairSpec = r.KeyPairSpec };
    }
}
