using System.Security.Cryptography;
using IAmazonKeyManagementService = Amazon.KeyManagementService.IAmazonKeyManagementService;
using KmsEnums = Amazon.KeyManagementService;
using Vaultlib.Envelope;
using Vaultlib.Keys;
using Kms = Amazon.KeyManagementService.Model;

namespace Vaultlib.AwsProtocol;

/// <summary>
/// Serves the AWS KMS keyrings (<see cref="AwsKmsKeyring"/>, <see cref="AwsKmsDiscoveryKeyring"/>,
/// <see cref="AwsKmsMrkKeyring"/>, <see cref="AwsKmsMrkDiscoveryKeyring"/>) from an AWS SDK for .NET KMS client: real
/// AWS KMS, Vaultlib's endpoint over HTTP, or Vaultlib in process (<c>AddAwsSdkClients()</c>). KMS errors reach the
/// keyrings as the SDK's exceptions; the SDK's copies of data keys are zeroed once copied out.
/// </summary>
public sealed class AmazonKmsKeyringClient : IKmsKeyringClient
{
    private readonly IAmazonKeyManagementService _kms;

    /// <summary>Wraps a KMS client.</summary>
    /// <param name="kms">The client.</param>
    /// <param name="region">Its Region; when null, the client's configured Region (or authentication Region).</param>
    public AmazonKmsKeyringClient(IAmazonKeyManagementService kms, string? region = null)
    {
        ArgumentNullException.ThrowIfNull(kms);
        _kms = kms;
        Region = region ?? kms.Config.RegionEndpoint?.SystemName ?? NullIfEmpty(kms.Config.AuthenticationRegion);
    }

    /// <inheritdoc/>
    public string? Region { get; }

    /// <inheritdoc/>
    public async Task<GenerateDataKeyResponse> GenerateDataKeyAsync(GenerateDataKeyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Kms.GenerateDataKeyResponse response = await _kms.GenerateDataKeyAsync(
            new Kms.GenerateDataKeyRequest
            {
                KeyId = request.KeyId,
                NumberOfBytes = request.NumberOfBytes,
                KeySpec = request.KeySpec is { } spec ? new KmsEnums.DataKeySpec(spec.ToString()) : null,
                EncryptionContext = Context(request.EncryptionContext),
                GrantTokens = Tokens(request.GrantTokens),
            },
            cancellationToken).ConfigureAwait(false);
        return new GenerateDataKeyResponse { KeyId = response.KeyId, CiphertextBlob = response.CiphertextBlob.ToArray(), Plaintext = TakeSecret(response.Plaintext) };
    }

    /// <inheritdoc/>
    public async Task<EncryptResponse> EncryptAsync(EncryptRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        byte[] plaintext = request.Plaintext.ToArray();
        try
        {
            using var body = new MemoryStream(plaintext, writable: false);
            Kms.EncryptResponse response = await _kms.EncryptAsync(
                new Kms.EncryptRequest
                {
                    KeyId = request.KeyId,
                    Plaintext = body,
                    EncryptionContext = Context(request.EncryptionContext),
                    GrantTokens = Tokens(request.GrantTokens),
                    EncryptionAlgorithm = Algorithm(request.EncryptionAlgorithm),
                },
                cancellationToken).ConfigureAwait(false);
            return new EncryptResponse
            {
                KeyId = response.KeyId,
                CiphertextBlob = response.CiphertextBlob.ToArray(),
                EncryptionAlgorithm = Algorithm(response.EncryptionAlgorithm),
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <inheritdoc/>
    public async Task<DecryptResponse> DecryptAsync(DecryptRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Kms.DecryptResponse response = await _kms.DecryptAsync(
            new Kms.DecryptRequest
            {
                KeyId = request.KeyId,
                CiphertextBlob = new MemoryStream(request.CiphertextBlob.ToArray(), writable: false),
                EncryptionContext = Context(request.EncryptionContext),
                GrantTokens = Tokens(request.GrantTokens),
                EncryptionAlgorithm = Algorithm(request.EncryptionAlgorithm),
            },
            cancellationToken).ConfigureAwait(false);
        return new DecryptResponse
        {
            KeyId = response.KeyId,
            Plaintext = TakeSecret(response.Plaintext),
            EncryptionAlgorithm = Algorithm(response.EncryptionAlgorithm),
        };
    }

    /// <inheritdoc/>
    public async Task<GenerateDataKeyWithoutPlaintextResponse> GenerateDataKeyWithoutPlaintextAsync(GenerateDataKeyWithoutPlaintextRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Kms.GenerateDataKeyWithoutPlaintextResponse response = await _kms.GenerateDataKeyWithoutPlaintextAsync(
            new Kms.GenerateDataKeyWithoutPlaintextRequest
            {
                KeyId = request.KeyId,
                NumberOfBytes = request.NumberOfBytes,
                KeySpec = request.KeySpec is { } spec ? new KmsEnums.DataKeySpec(spec.ToString()) : null,
                EncryptionContext = Context(request.EncryptionContext),
                GrantTokens = Tokens(request.GrantTokens),
            },
            cancellationToken).ConfigureAwait(false);
        return new GenerateDataKeyWithoutPlaintextResponse { KeyId = response.KeyId, CiphertextBlob = response.CiphertextBlob.ToArray() };
    }

    /// <inheritdoc/>
    public async Task<ReEncryptResponse> ReEncryptAsync(ReEncryptRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Kms.ReEncryptResponse response = await _kms.ReEncryptAsync(
            new Kms.ReEncryptRequest
            {
                CiphertextBlob = new MemoryStream(request.CiphertextBlob.ToArray(), writable: false),
                SourceKeyId = request.SourceKeyId,
                SourceEncryptionContext = Context(request.SourceEncryptionContext),
                SourceEncryptionAlgorithm = Algorithm(request.SourceEncryptionAlgorithm),
                DestinationKeyId = request.DestinationKeyId,
                DestinationEncryptionContext = Context(request.DestinationEncryptionContext),
                DestinationEncryptionAlgorithm = Algorithm(request.DestinationEncryptionAlgorithm),
                GrantTokens = Tokens(request.GrantTokens),
            },
            cancellationToken).ConfigureAwait(false);
        return new ReEncryptResponse
        {
            CiphertextBlob = response.CiphertextBlob.ToArray(),
            SourceKeyId = response.SourceKeyId,
            KeyId = response.KeyId,
            SourceEncryptionAlgorithm = Algorithm(response.SourceEncryptionAlgorithm),
            DestinationEncryptionAlgorithm = Algorithm(response.DestinationEncryptionAlgorithm),
        };
    }

    /// <inheritdoc/>
    public async Task<GetPublicKeyResponse> GetPublicKeyAsync(GetPublicKeyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Kms.GetPublicKeyResponse response = await _kms.GetPublicKeyAsync(
            new Kms.GetPublicKeyRequest { KeyId = request.KeyId, GrantTokens = Tokens(request.GrantTokens) }, cancellationToken).ConfigureAwait(false);
        return new GetPublicKeyResponse
        {
            KeyId = response.KeyId,
            PublicKey = response.PublicKey.ToArray(),
            KeySpec = Enum.Parse<KeySpec>(response.KeySpec.Value),
            KeyUsage = Enum.Parse<KeyUsageType>(response.KeyUsage.Value),
            EncryptionAlgorithms = [.. (response.EncryptionAlgorithms ?? []).Select(a => Enum.Parse<EncryptionAlgorithmSpec>(a))],
            SigningAlgorithms = [.. (response.SigningAlgorithms ?? []).Select(a => Enum.Parse<SigningAlgorithmSpec>(a))],
            KeyAgreementAlgorithms = [.. (response.KeyAgreementAlgorithms ?? []).Select(a => Enum.Parse<KeyAgreementAlgorithmSpec>(a))],
        };
    }

    /// <inheritdoc/>
    public async Task<DeriveSharedSecretResponse> DeriveSharedSecretAsync(DeriveSharedSecretRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Kms.DeriveSharedSecretResponse response = await _kms.DeriveSharedSecretAsync(
            new Kms.DeriveSharedSecretRequest
            {
                KeyId = request.KeyId,
                KeyAgreementAlgorithm = new KmsEnums.KeyAgreementAlgorithmSpec(request.KeyAgreementAlgorithm.ToString()),
                PublicKey = new MemoryStream(request.PublicKey.ToArray(), writable: false),
                GrantTokens = Tokens(request.GrantTokens),
            },
            cancellationToken).ConfigureAwait(false);
        return new DeriveSharedSecretResponse
        {
            KeyId = response.KeyId,
            SharedSecret = TakeSecret(response.SharedSecret),
            KeyAgreementAlgorithm = Enum.Parse<KeyAgreementAlgorithmSpec>(response.KeyAgreementAlgorithm.Value),
            KeyOrigin = Enum.Parse<OriginType>(response.KeyOrigin.Value),
        };
    }

    /// <summary>The Region.</summary>
    public override string ToString() => $"AmazonKmsKeyringClient({Region ?? "no region"})";

    private static Dictionary<string, string>? Context(IReadOnlyDictionary<string, string>? context) =>
        context is null ? null : new Dictionary<string, string>(context, StringComparer.Ordinal);

    private static List<string>? Tokens(IReadOnlyList<string>? tokens) => tokens is null ? null : [.. tokens];

    private static KmsEnums.EncryptionAlgorithmSpec? Algorithm(EncryptionAlgorithmSpec? algorithm) =>
        algorithm is { } a ? new KmsEnums.EncryptionAlgorithmSpec(a.ToString()) : null;

    private static EncryptionAlgorithmSpec Algorithm(KmsEnums.EncryptionAlgorithmSpec? algorithm) =>
        algorithm is null ? EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT : Enum.Parse<EncryptionAlgorithmSpec>(algorithm.Value);

    /// <summary>Copies a secret out of the SDK's stream, then zeroes the stream's buffer.</summary>
    private static byte[] TakeSecret(MemoryStream stream)
    {
        byte[] copy = stream.ToArray();
        if (stream.TryGetBuffer(out ArraySegment<byte> buffer))
        {
            CryptographicOperations.ZeroMemory(buffer.AsSpan());
        }

        return copy;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
