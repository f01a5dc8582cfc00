using Vaultlib.Secrets;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Secrets;

/// <summary>Contract tests: the contract of Secrets Manager <c>DeleteSecret</c> and <c>RestoreSecret</c>, with the scheduler's purge.</summary>
public abstract partial class SecretStoreContractTests
{
    [SkippableFact]
    public async Task DeleteSecret_schedules_a_purge_that_the_scheduler_runs_when_the_window_ends()
    {
        await Create("doomed");
        Host.Scheduler.Start(); // the store is made, and registered with the host's scheduler, by the line above
        DeleteSecretResponse deleted = await Sm.DeleteSecretAsync(new DeleteSecretRequest { SecretId = "doomed", RecoveryWindowInDays = 7 });
        Assert.Equal(TestData.Epoch.AddDays(7), deleted.DeletionDate);

        Assert.Equal(TestData.Epoch, (await Sm.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "doomed" })).DeletedDate);
        var refused = await Assert.ThrowsAsync<InvalidRequestException>(() => Get("doomed"));
        Assert.Contains("marked for deletion", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidRequestException>(() => Put("doomed", "v"));
        await Assert.ThrowsAsync<InvalidRequestException>(() => Sm.DeleteSecretAsync(new DeleteSecretRequest { SecretId = "doomed" }));
        await Assert.ThrowsAsync<InvalidRequestException>(() => Create("doomed"));
        Assert.Empty((await Sm.ListSecretsAsync(new ListSecretsRequest())).SecretList);
        Assert.Single((await Sm.ListSecretsAsync(new ListSecretsRequest { IncludePlannedDeletion = true })).SecretList);

        Assert.Equal(TestData.Epoch.AddDays(7), Sm.ScheduledWork.NextDueTime);
        Clock.Advance(TimeSpan.FromDays(7));
        await Host.Scheduler.WhenIdleAsync();
        Assert.Empty((await Sm.ListSecretsAsync(new ListSecretsRequest { IncludePlannedDeletion = true })).SecretList);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Sm.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "doomed" }));
        await Create("doomed"); // the name is free again
    }

    [SkippableFact]
    public async Task RestoreSecret_cancels_the_deletion_and_force_purges_at_once()
    {
        await Create("kept", "v1");
        DeleteSecretResponse deleted = await Sm.DeleteSecretAsync(new DeleteSecretRequest { SecretId = "kept" });
        Assert.Equal(TestData.Epoch.AddDays(30), deleted.DeletionDate);
        await Sm.RestoreSecretAsync(new RestoreSecretRequest { SecretId = "kept" });
        Assert.Equal("v1", (await Get("kept")).SecretString);
        Assert.Null((await Sm.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "kept" })).DeletedDate);
        await Sm.RestoreSecretAsync(new RestoreSecretRequest { SecretId = "kept" });

        await Assert.ThrowsAsync<InvalidParameterException>(() => Sm.DeleteSecretAsync(new DeleteSecretRequest { SecretId = "kept", RecoveryWindowInDays = 6 }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => Sm.DeleteSecretAsync(new DeleteSecretRequest { SecretId = "kept", RecoveryWindowInDays = 31 }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => Sm.DeleteSecretAsync(new DeleteSecretRequest { SecretId = "kept", RecoveryWindowInDays = 7, ForceDeleteWithoutRecovery = true }));

        // Force purges a secret already scheduled for deletion too.
        await Sm.DeleteSecretAsync(new DeleteSecretRequest { SecretId = "kept", RecoveryWindowInDays = 30 });
        Assert.Equal(TestData.Epoch, (await Sm.DeleteSecretAsync(new DeleteSecretRequest { SecretId = "kept", ForceDeleteWithoutRecovery = true })).DeletionDate);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Sm.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "kept" }));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Sm.RestoreSecretAsync(new RestoreSecretRequest { SecretId = "kept" }));
    }
}
