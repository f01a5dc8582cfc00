using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>GetPublicKey</c>: Returns the public key (DER SubjectPublicKeyInfo) of an asymmetric key.</summary>
internal sealed class GetPublicKey() : KeyOperation<GetPublicKeyRequest, GetPublicKeyResponse>("GetPublicKey", readOnly: true, KeyIdForms.Any)
{
    public static GetPublicKey Instance { get; } = new();

    public override void Validate(GetPublicKeyRequest r)
    {
        KmsValidate.KeyId(r.KeyId);
        Internal.Validate.GrantTokens(r.GrantTokens);
    }

    public override RequestFacts Facts(GetPublicKeyRequest r) => new() { KeyId = r.KeyId };

    protected override GetPublicKeyResponse Execute(KeyTable keys, GetPublicKeyRequest r, KeyRecord key, RequestContext context)
    {
        if (!KeySpecs.IsAsymmetric(key.KeySpec))
        {
            throw new UnsupportedOperationException($"{key.Arn} is a {key.KeySpec} key; only asymmetric keys have a public key.");
        }

        KeyRules.RequireUsable(key);
        return new GetPublicKeyResponse
        {
            KeyId = key.Arn,
            PublicKey = key.Current.PublicKey!.ToArray(),
            KeySpec = key.KeySpec,
            KeyUsage = key.KeyUsage,
            EncryptionAlgorithms = KeySpecs.EncryptionAlgorithms(key.KeySpec, key.KeyUsage),
            SigningAlgorithms = KeySpecs.SigningAlgorithms(key.KeySpec, key.KeyUsage),
            KeyAgreementAlgorithms = KeySpecs.KeyAgreementAlgorithms(key.KeyUsage),
        };
    }
}
