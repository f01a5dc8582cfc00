using Vaultlib.Keys;

namespace Vaultlib.Tests.Keys;

/// <summary>Contract tests: the contract of KMS <c>TagResource</c>.</summary>
public abstract partial class KeyServiceContractTests
{
    [SkippableFact]
    public async Task Tags_are_added_overwritten_removed_and_paged()
    {
        KeyMetadata key = await NewKey();
        await Kms.TagResourceAsync(new TagResourceRequest { KeyId = key.KeyId, Tags = [new Tag { TagKey = "b", TagValue = "1" }, new Tag { TagKey = "a", TagValue = "1" }] });
        await Kms.TagResourceAsync(new TagResourceRequest { KeyId = key.KeyId, Tags = [new Tag { TagKey = "b", TagValue = "2" }, new Tag { TagKey = "c", TagValue = "3" }] });

        ListResourceTagsResponse first = await Kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key.KeyId, Limit = 2 });
        Assert.Equal(["a", "b"], first.Tags.Select(t => t.TagKey));
        Assert.Equal("2", first.Tags[1].TagValue);
        Assert.True(first.Truncated);
        ListResourceTagsResponse second = await Kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key.KeyId, Limit = 2, Marker = first.NextMarker });
        Assert.Equal(["c"], second.Tags.Select(t => t.TagKey));
        Assert.False(second.Truncated);

        await Kms.UntagResourceAsync(new UntagResourceRequest { KeyId = key.KeyId, TagKeys = ["a", "c", "never-set"] });
        Assert.Equal(["b"], (await Kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key.KeyId })).Tags.Select(t => t.TagKey));

        await Assert.ThrowsAsync<TagException>(() => Kms.TagResourceAsync(new TagResourceRequest { KeyId = key.KeyId, Tags = [new Tag { TagKey = "aws:x", TagValue = "" }] }));
        await Assert.ThrowsAsync<TagException>(() => Kms.TagResourceAsync(new TagResourceRequest { KeyId = key.KeyId, Tags = Enumerable.Range(0, 50).Select(i => new Tag { TagKey = $"t{i}", TagValue = "" }).ToArray() }));
    }
}
