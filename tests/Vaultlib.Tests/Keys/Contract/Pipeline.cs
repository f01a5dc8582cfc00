using Vaultlib.Keys;

namespace Vaultlib.Tests.Keys;

/// <summary>Contract tests: what every operation shares: dry runs, grant-token limits, cancellation, null requests, concurrency.</summary>
public abstract partial class KeyServiceContractTests
{
    [SkippableFact]
    public async Task DryRun_validates_and_stops_with_DryRunOperationException()
    {
        KeyMetadata key = await NewKey();
        await Assert.ThrowsAsync<DryRunOperationException>(() => Kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[] { 1 }, DryRun = true }));
        await Assert.ThrowsAsync<ValidationException>(() => Kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Array.Empty<byte>(), DryRun = true }));
        byte[] blob = await Encrypt(key.KeyId, [1]);
        await Assert.ThrowsAsync<DryRunOperationException>(() => Kms.DecryptAsync(new DecryptRequest { CiphertextBlob = blob, DryRun = true }));
        await Assert.ThrowsAsync<DryRunOperationException>(() => Kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key.KeyId, NumberOfBytes = 8, DryRun = true }));
    }

    [SkippableFact]
    public async Task Grant_tokens_are_limited_to_ten()
    {
        KeyMetadata key = await NewKey();
        var tooMany = await Assert.ThrowsAsync<ValidationException>(() => Kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[] { 1 }, GrantTokens = Enumerable.Repeat("t", 11).ToArray() }));
        Assert.Equal("GrantTokens", tooMany.MemberName);
    }

    [SkippableFact]
    public async Task A_cancelled_token_cancels_before_any_work()
    {
        KeyService kms = Kms;
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => kms.CreateKeyAsync(new CreateKeyRequest(), cts.Token));
        Assert.Empty((await Kms.ListKeysAsync(new ListKeysRequest())).Keys);
    }

    [SkippableFact]
    public async Task Null_requests_throw_ArgumentNullException_naming_the_request()
    {
        var ex = await Assert.ThrowsAsync<ArgumentNullException>(() => Kms.EncryptAsync(null!));
        Assert.Equal("request", ex.ParamName);
        var missing = await Assert.ThrowsAsync<ValidationException>(() => Kms.EncryptAsync(new EncryptRequest { KeyId = null!, Plaintext = new byte[] { 1 } }));
        Assert.Equal("KeyId", missing.MemberName);
    }

    [SkippableFact]
    public async Task Concurrent_encrypts_and_rotations_never_lose_a_ciphertext()
    {
        KeyMetadata key = await NewKey();
        var blobs = new System.Collections.Concurrent.ConcurrentBag<(byte[] Blob, int Value)>();
        Task writers = Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(async () =>
        {
            for (int i = 0; i < 50; i++)
            {
                int value = (t * 1000) + i;
                blobs.Add((await Encrypt(key.KeyId, BitConverter.GetBytes(value)), value));
            }
        })));
        Task rotator = Task.Run(async () =>
        {
            for (int i = 0; i < 10; i++)
            {
                await Kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = key.KeyId });
            }
        });
        await Task.WhenAll(writers, rotator);

        Assert.Equal(200, blobs.Count);
        foreach ((byte[] blob, int value) in blobs)
        {
            Assert.Equal(value, BitConverter.ToInt32(await Decrypt(blob)));
        }
    }
}
