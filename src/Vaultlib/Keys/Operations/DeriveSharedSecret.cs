using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>DeriveSharedSecret</c>: ECDH between a KEY_AGREEMENT key and another party's public key; the raw shared secret, as OpenSSL and .NET derive it.</summary>
internal sealed class DeriveSharedSecret() : KeyOperation<DeriveSharedSecretRequest, DeriveSharedSecretResponse>("DeriveSharedSecret", readOnly: true, KeyIdForms.Any)
{
    public static DeriveSharedSecret Instance { get; } = new();

    public override void Validate(DeriveSharedSecretRequest r)
    {
        KmsValidate.KeyId(r.KeyId);
        Internal.Validate.Defined(nameof(r.KeyAgreementAlgorithm), (KeyAgreementAlgorithmSpec?)r.KeyAgreementAlgorithm);
        Internal.Validate.ByteLength(nameof(r.PublicKey), r.PublicKey, 1, 8192);
        Internal.Validate.GrantTokens(r.GrantTokens);
    }

    public override RequestFacts Facts(DeriveSharedSecretRequest r) => new() { KeyId = r.KeyId };

    protected override DeriveSharedSecretResponse Execute(KeyTable keys, DeriveSharedSecretRequest r, KeyRecord key, RequestContext context)
    {
        if (key.KeyUsage != KeyUsageType.KEY_AGREEMENT)
        {
            throw KmsErrors.WrongUsage(key.Arn, key.KeyUsage, "KEY_AGREEMENT");
        }

        KeyRules.RequireUsable(key);
        byte[] secret = AsymmetricCrypto.DeriveSharedSecret(key.KeySpec, key.Current.Secret, r.PublicKey.Span)
            ?? throw new ValidationException(nameof(r.PublicKey), $"The public key is not a DER SubjectPublicKeyInfo of a point on the curve of {key.KeySpec}.");
        return new DeriveSharedSecretResponse { KeyId = key.Arn, SharedSecret = secret, KeyAgreementAlgorithm = r.KeyAgreementAlgorithm, KeyOrigin = key.Origin };
    }
}
