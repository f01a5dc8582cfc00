using System.Security.Cryptography;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>GenerateDataKeyWithoutPlaintext</c>: Returns a fresh data key encrypted under a symmetric key only.</summary>
internal sealed class GenerateDataKeyWithoutPlaintext() : KeyOperation<GenerateDataKeyWithoutPlaintextRequest, GenerateDataKeyWithoutPlaintextResponse>("GenerateDataKeyWithoutPlaintext", readOnly: true, KeyIdForms.Any)
{
    public static GenerateDataKeyWithoutPlaintext Instance { get; } = new();

    public override void Validate(GenerateDataKeyWithoutPlaintextRequest r) => KmsValidate.DataKey(r.KeyId, r.NumberOfBytes, r.KeySpec, r.GrantTokens);

    public override RequestFacts Facts(GenerateDataKeyWithoutPlaintextRequest r) => new() { KeyId = r.KeyId, EncryptionContext = r.EncryptionContext };

    protected override GenerateDataKeyWithoutPlaintextResponse Execute(KeyTable keys, GenerateDataKeyWithoutPlaintextRequest r, KeyRecord key, RequestContext context)
    {
        (byte[] blob, byte[] plaintext) = KmsCrypto.GenerateDataKey(key, r.NumberOfBytes, r.KeySpec, r.EncryptionContext);
        CryptographicOperations.ZeroMemory(plaintext);
        return new GenerateDataKeyWithoutPlaintextResponse { CiphertextBlob = blob, KeyId = key.Arn };
    }
}
