using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>Decrypt</c>: Decrypts a blob (which names its key) or, with the KeyId, an RSA-OAEP ciphertext.</summary>
internal sealed class Decrypt() : KmsOperation<DecryptRequest, IDecryptionSource, DecryptResponse>("Decrypt", readOnly: true)
{
    public static Decrypt Instance { get; } = new();

    public override void Validate(DecryptRequest r)
    {
        Internal.Validate.ByteLength(nameof(r.CiphertextBlob), r.CiphertextBlob, 1, CiphertextBlob.MaxBlobLength);
        KmsValidate.OptionalKeyId(r.KeyId);
        Internal.Validate.Defined(nameof(r.EncryptionAlgorithm), r.EncryptionAlgorithm);
        Internal.Validate.GrantTokens(r.GrantTokens);
    }

    public override ValueTask<IDecryptionSource> ResolveAsync(KeyTable keys, DecryptRequest r, RequestContext context, CancellationToken cancellationToken) => keys.ResolveDecryptionAsync(r.CiphertextBlob, r.KeyId, cancellationToken);

    public override RequestFacts Facts(DecryptRequest r) => new() { KeyId = r.KeyId, EncryptionContext = r.EncryptionContext };

    protected override DecryptResponse Execute(KeyTable keys, DecryptRequest r, IDecryptionSource source, RequestContext context)
    {
        (byte[] plaintext, EncryptionAlgorithmSpec algorithm) = KmsCrypto.DecryptAny(source, r.EncryptionAlgorithm, r.EncryptionContext, "EncryptionContext");
        return new DecryptResponse { KeyId = source.Key.Arn, Plaintext = plaintext, EncryptionAlgorithm = algorithm };
    }
}
