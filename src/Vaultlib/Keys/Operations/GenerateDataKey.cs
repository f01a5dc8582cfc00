using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>GenerateDataKey</c>: Returns a fresh data key in plaintext and encrypted under a symmetric key.</summary>
internal sealed class GenerateDataKey() : KeyOperation<GenerateDataKeyRequest, GenerateDataKeyResponse>("GenerateDataKey", readOnly: true, KeyIdForms.Any)
{
    public static GenerateDataKey Instance { get; } = new();

    public override void Validate(GenerateDataKeyRequest r) => KmsValidate.DataKey(r.KeyId, r.NumberOfBytes, r.KeySpec, r.GrantTokens);

    public override RequestFacts Facts(GenerateDataKeyRequest r) => new() { KeyId = r.KeyId, EncryptionContext = r.EncryptionContext };

    protected override GenerateDataKeyResponse Execute(KeyTable keys, GenerateDataKeyRequest r, KeyRecord key, RequestContext context)
    {
        (byte[] blob, byte[] plaintext) = KmsCrypto.GenerateDataKey(key, r.NumberOfBytes, r.KeySpec, r.EncryptionContext);
        return new GenerateDataKeyResponse { CiphertextBlob = blob, Plaintext = plaintext, KeyId = key.Arn };
    }
}
