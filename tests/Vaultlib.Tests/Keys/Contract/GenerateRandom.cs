using Vaultlib.Keys;

namespace Vaultlib.Tests.Keys;

/// <summary>Contract tests: the contract of KMS <c>GenerateRandom</c>.</summary>
public abstract partial class KeyServiceContractTests
{
    [SkippableFact]
    public async Task GenerateRandom_returns_1_to_1024_fresh_bytes()
    {
        GenerateRandomResponse a = await Kms.GenerateRandomAsync(new GenerateRandomRequest { NumberOfBytes = 1024 });
        GenerateRandomResponse b = await Kms.GenerateRandomAsync(new GenerateRandomRequest { NumberOfBytes = 1024 });
        Assert.Equal(1024, a.Plaintext.Length);
        Assert.NotEqual(a.Plaintext.ToArray(), b.Plaintext.ToArray());
        Assert.Single((await Kms.GenerateRandomAsync(new GenerateRandomRequest { NumberOfBytes = 1 })).Plaintext.ToArray());
        await Assert.ThrowsAsync<ValidationException>(() => Kms.GenerateRandomAsync(new GenerateRandomRequest { NumberOfBytes = 0 }));
        await Assert.ThrowsAsync<ValidationException>(() => Kms.GenerateRandomAsync(new GenerateRandomRequest { NumberOfBytes = 1025 }));
    }
}
