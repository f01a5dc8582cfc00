using Vaultlib.Envelope;
using Vaultlib.Keys;

namespace Vaultlib.Tests.Envelope.Keyrings;

/// <summary>A KMS keyring client that records every request and can rewrite answers, over a real key service.</summary>
internal sealed class RecordingKmsClient(IKmsKeyringClient inner) : IKmsKeyringClient
{
    public List<object> Requests { get; } = [];

    public Func<GenerateDataKeyResponse, GenerateDataKeyResponse>? RewriteGenerate { get; set; }

    public Func<EncryptResponse, EncryptResponse>? RewriteEncrypt { get; set; }

    public Func<DecryptResponse, DecryptResponse>? RewriteDecrypt { get; set; }

    public string? Region => inner.Region;

    public IEnumerable<DecryptRequest> Decrypts => Requests.OfType<DecryptRequest>();

    public async Task<GenerateDataKeyResponse> GenerateDataKeyAsync(GenerateDataKeyRequest request, CancellationToken cancellationToken = default)
    {
        Requests.Add(request);
        GenerateDataKeyResponse response = await inner.GenerateDataKeyAsync(request, cancellationToken);
        return RewriteGenerate?.Invoke(response) ?? response;
    }

    public async Task<EncryptResponse> EncryptAsync(EncryptRequest request, CancellationToken cancellationToken = default)
    {
        Requests.Add(request);
        EncryptResponse response = await inner.EncryptAsync(request, cancellationToken);
        return RewriteEncrypt?.Invoke(response) ?? response;
    }

    public Task<GenerateDataKeyWithoutPlaintextResponse> GenerateDataKeyWithoutPlaintextAsync(GenerateDataKeyWithoutPlaintextRequest request, CancellationToken cancellationToken = default)
    {
        Requests.Add(request);
        return inner.GenerateDataKeyWithoutPlaintextAsync(request, cancellationToken);
    }

    public Task<ReEncryptResponse> ReEncryptAsync(ReEncryptRequest request, CancellationToken cancellationToken = default)
    {
        Requests.Add(request);
        return inner.ReEncryptAsync(request, cancellationToken);
    }

    public Task<GetPublicKeyResponse> GetPublicKeyAsync(GetPublicKeyRequest request, CancellationToken cancellationToken = default)
    {
        Requests.Add(request);
        return inner.GetPublicKeyAsync(request, cancellationToken);
    }

    public Task<DeriveSharedSecretResponse> DeriveSharedSecretAsync(DeriveSharedSecretRequest request, CancellationToken cancellationToken = default)
    {
        Requests.Add(request);
        return inner.DeriveSharedSecretAsync(request, cancellationToken);
    }

    public async Task<DecryptResponse> DecryptAsync(DecryptRequest request, CancellationToken cancellationToken = default)
    {
        Requests.Add(request);
        DecryptResponse response = await inner.DecryptAsync(request, cancellationToken);
        return RewriteDecrypt?.Invoke(response) ?? response;
    }
}
