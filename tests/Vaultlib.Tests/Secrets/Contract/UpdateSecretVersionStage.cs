using Vaultlib.Secrets;

namespace Vaultlib.Tests.Secrets;

/// <summary>Contract tests: the contract of Secrets Manager <c>UpdateSecretVersionStage</c>.</summary>
public abstract partial class SecretStoreContractTests
{
    [SkippableFact]
    public async Task UpdateSecretVersionStage_moves_labels_with_AWS_s_rules()
    {
        await Create("st", "one", token: Token(1));
        await Put("st", "two", Token(2), ["AWSPENDING"]);

        // AWSCURRENT is on version 1: moving it needs RemoveFromVersionId, and its old version gets AWSPREVIOUS.
        var unnamed = await Assert.ThrowsAsync<InvalidParameterException>(() => Sm.UpdateSecretVersionStageAsync(new UpdateSecretVersionStageRequest { SecretId = "st", VersionStage = "AWSCURRENT", MoveToVersionId = Token(2) }));
        Assert.Equal("RemoveFromVersionId", unnamed.MemberName);
        await Assert.ThrowsAsync<InvalidParameterException>(() => Sm.UpdateSecretVersionStageAsync(new UpdateSecretVersionStageRequest { SecretId = "st", VersionStage = "AWSCURRENT", MoveToVersionId = Token(2), RemoveFromVersionId = Token(2) }));
        await Sm.UpdateSecretVersionStageAsync(new UpdateSecretVersionStageRequest { SecretId = "st", VersionStage = "AWSCURRENT", MoveToVersionId = Token(2), RemoveFromVersionId = Token(1) });
        Assert.Equal("two", (await Get("st")).SecretString);
        Assert.Equal(["AWSPENDING", "AWSCURRENT"], (await Get("st")).VersionStages);
        Assert.Equal(["AWSPREVIOUS"], (await Get("st", versionId: Token(1))).VersionStages);

        // AWSPENDING can be removed; AWSCURRENT can only move.
        await Sm.UpdateSecretVersionStageAsync(new UpdateSecretVersionStageRequest { SecretId = "st", VersionStage = "AWSPENDING", RemoveFromVersionId = Token(2) });
        Assert.Equal(["AWSCURRENT"], (await Get("st")).VersionStages);
        await Assert.ThrowsAsync<InvalidParameterException>(() => Sm.UpdateSecretVersionStageAsync(new UpdateSecretVersionStageRequest { SecretId = "st", VersionStage = "AWSCURRENT", RemoveFromVersionId = Token(2) }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => Sm.UpdateSecretVersionStageAsync(new UpdateSecretVersionStageRequest { SecretId = "st", VersionStage = "custom", RemoveFromVersionId = Token(1) }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => Sm.UpdateSecretVersionStageAsync(new UpdateSecretVersionStageRequest { SecretId = "st", VersionStage = "custom" }));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Sm.UpdateSecretVersionStageAsync(new UpdateSecretVersionStageRequest { SecretId = "st", VersionStage = "custom", MoveToVersionId = Token(9) }));

        // A label nobody has moves without RemoveFromVersionId; moving AWSCURRENT back swaps AWSPREVIOUS.
        await Sm.UpdateSecretVersionStageAsync(new UpdateSecretVersionStageRequest { SecretId = "st", VersionStage = "custom", MoveToVersionId = Token(1) });
        await Sm.UpdateSecretVersionStageAsync(new UpdateSecretVersionStageRequest { SecretId = "st", VersionStage = "AWSCURRENT", MoveToVersionId = Token(1), RemoveFromVersionId = Token(2) });
        Assert.Equal(["custom", "AWSCURRENT"], (await Get("st")).VersionStages);
        Assert.Equal(["AWSPREVIOUS"], (await Get("st", versionId: Token(2))).VersionStages);
    }

    [SkippableFact]
    public async Task A_version_holds_at_most_20_labels()
    {
        await Create("labels", "one", token: Token(1));
        for (int i = 0; i < 19; i++)
        {
            await Sm.UpdateSecretVersionStageAsync(new UpdateSecretVersionStageRequest { SecretId = "labels", VersionStage = $"l{i}", MoveToVersionId = Token(1) });
        }

        Assert.Equal(20, (await Get("labels")).VersionStages.Count);
        Assert.Equal("LimitExceededException", (await Assert.ThrowsAsync<LimitExceededException>(() => Sm.UpdateSecretVersionStageAsync(new UpdateSecretVersionStageRequest { SecretId = "labels", VersionStage = "one-more", MoveToVersionId = Token(1) }))).ErrorCode);
    }
}
