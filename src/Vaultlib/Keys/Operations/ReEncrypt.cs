using System.Security.Cryptography;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>ReEncrypt</c>: Decrypts under one key and context and encrypts under another, without exposing the plaintext.</summary>
internal sealed class ReEncrypt() : KmsOperation<ReEncryptRequest, ReEncrypt.Resources, ReEncryptResponse>("ReEncrypt", readOnly: true)
{
    public static ReEncrypt Instance { get; } = new();

    public override void Validate(ReEncryptRequest r)
    {
        Internal.Validate.ByteLength(nameof(r.CiphertextBlob), r.CiphertextBlob, 1, CiphertextBlob.MaxBlobLength);
        KmsValidate.OptionalKeyId(r.SourceKeyId, nameof(r.SourceKeyId));
        KmsValidate.KeyId(r.DestinationKeyId, nameof(r.DestinationKeyId));
        Internal.Validate.Defined(nameof(r.SourceEncryptionAlgorithm), r.SourceEncryptionAlgorithm);
        Internal.Validate.Defined(nameof(r.DestinationEncryptionAlgorithm), r.DestinationEncryptionAlgorithm);
        Internal.Validate.GrantTokens(r.GrantTokens);
    }

    public override async ValueTask<Resources> ResolveAsync(KeyTable keys, ReEncryptRequest r, RequestContext context, CancellationToken cancellationToken) =>
        new(
            await keys.ResolveDecryptionAsync(r.CiphertextBlob, r.SourceKeyId, cancellationToken, incorrectKeyMember: "SourceKeyId").ConfigureAwait(false),
            await keys.ResolveAsync(r.DestinationKeyId, cancellationToken).ConfigureAwait(false));

    public override RequestFacts Facts(ReEncryptRequest r) => new() { KeyId = r.DestinationKeyId, EncryptionContext = r.SourceEncryptionContext };

    protected override ReEncryptResponse Execute(KeyTable keys, ReEncryptRequest r, Resources resources, RequestContext context)
    {
        (byte[] plaintext, EncryptionAlgorithmSpec sourceAlgorithm) = KmsCrypto.DecryptAny(resources.Source, r.SourceEncryptionAlgorithm, r.SourceEncryptionContext, nameof(r.SourceEncryptionContext));
        try
        {
            (byte[] blob, EncryptionAlgorithmSpec destinationAlgorithm) = KmsCrypto.EncryptAny(resources.Destination, r.DestinationEncryptionAlgorithm, plaintext, r.DestinationEncryptionContext, nameof(r.DestinationEncryptionContext));
            return new ReEncryptResponse
            {
                CiphertextBlob = blob,
                SourceKeyId = resources.Source.Key.Arn,
                KeyId = resources.Destination.Arn,
                SourceEncryptionAlgorithm = sourceAlgorithm,
                DestinationEncryptionAlgorithm = destinationAlgorithm,
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>The source (a blob's key, or the RSA key named) and the destination key; authorized on both.</summary>
    internal sealed record Resources(IDecryptionSource Source, KeyRecord Destination) : IReEncryptResource
    {
        public string Arn => Source.Key.Arn;

        public KeyRecord Key => Source.Key;
    }
}
