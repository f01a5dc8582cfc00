using Vaultlib.Keys;

namespace Vaultlib.Tests.Keys;

/// <summary>Contract tests: the contract of KMS <c>ListKeys</c>.</summary>
public abstract partial class KeyServiceContractTests
{
    [SkippableFact]
    public async Task ListKeys_pages_with_Limit_and_Marker()
    {
        var created = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            created.Add((await NewKey()).KeyId);
        }

        var seen = new List<string>();
        string? marker = null;
        int pages = 0;
        do
        {
            ListKeysResponse page = await Kms.ListKeysAsync(new ListKeysRequest { Limit = 2, Marker = marker });
            Assert.True(page.Keys.Count <= 2);
            Assert.Equal(page.NextMarker is not null, page.Truncated);
            seen.AddRange(page.Keys.Select(k => k.KeyId));
            Assert.All(page.Keys, k => Assert.EndsWith(k.KeyId, k.KeyArn, StringComparison.Ordinal));
            marker = page.NextMarker;
            pages++;
        }
        while (marker is not null);

        Assert.Equal(3, pages);
        Assert.Equal(created.Order(StringComparer.Ordinal), seen);
        await Assert.ThrowsAsync<InvalidMarkerException>(() => Kms.ListKeysAsync(new ListKeysRequest { Marker = "bogus" }));
        await Assert.ThrowsAsync<ValidationException>(() => Kms.ListKeysAsync(new ListKeysRequest { Limit = 0 }));
        await Assert.ThrowsAsync<ValidationException>(() => Kms.ListKeysAsync(new ListKeysRequest { Limit = 1001 }));
    }
}
