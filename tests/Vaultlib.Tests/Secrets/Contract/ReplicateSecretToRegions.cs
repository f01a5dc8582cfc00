using Vaultlib.Secrets;

namespace Vaultlib.Tests.Secrets;

/// <summary>Contract tests: the contract of Secrets Manager <c>ReplicateSecretToRegions</c>, <c>RemoveRegionsFromReplication</c> and <c>StopReplicationToReplica</c>.</summary>
public abstract partial class SecretStoreContractTests
{
    [SkippableFact]
    public async Task A_replica_is_read_only_kept_in_sync_and_encrypted_under_its_own_region_s_key()
    {
        CreateSecretResponse created = await Sm.CreateSecretAsync(new CreateSecretRequest
        {
            Name = "global/db",
            SecretString = "v1",
            ClientRequestToken = Token(1),
            Description = "shared",
            AddReplicaRegions = [new ReplicaRegionType { Region = "eu-west-1" }],
        });
        Assert.Equal("InSync", Assert.Single(created.ReplicationStatus!).Status);
        SecretStore ireland = Host.GetSecretStore("eu-west-1");

        GetSecretValueResponse replica = await ireland.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "global/db" });
        Assert.Equal("v1", replica.SecretString);
        Assert.Equal(created.ARN.Replace("us-east-1", "eu-west-1", StringComparison.Ordinal), replica.ARN);
        DescribeSecretResponse described = await ireland.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "global/db" });
        Assert.Equal("us-east-1", described.PrimaryRegion);
        Assert.Equal("shared", described.Description);
        Assert.StartsWith("arn:aws:kms:eu-west-1:", Assert.Single((await ireland.ListSecretVersionIdsAsync(new ListSecretVersionIdsRequest { SecretId = "global/db" })).Versions[0].KmsKeyIds), StringComparison.Ordinal);

        // Every change to the primary reaches the replica.
        await Put("global/db", "v2", Token(2));
        await Sm.TagResourceAsync(new TagResourceRequest { SecretId = "global/db", Tags = [new Tag { Key = "team", Value = "core" }] });
        Assert.Equal("v2", (await ireland.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "global/db" })).SecretString);
        Assert.Equal("v1", (await ireland.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "global/db", VersionStage = "AWSPREVIOUS" })).SecretString);
        Assert.Equal("core", Assert.Single((await ireland.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "global/db" })).Tags!).Value);
        Assert.Equal("InSync", Assert.Single((await Sm.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "global/db" })).ReplicationStatus!).Status);

        // A replica refuses changes; a primary with replicas cannot be deleted.
        var refused = await Assert.ThrowsAsync<InvalidParameterException>(() => ireland.PutSecretValueAsync(new PutSecretValueRequest { SecretId = "global/db", SecretString = "x" }));
        Assert.Contains("replica", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidParameterException>(() => ireland.DeleteSecretAsync(new DeleteSecretRequest { SecretId = "global/db" }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => Sm.DeleteSecretAsync(new DeleteSecretRequest { SecretId = "global/db" }));
        await Assert.ThrowsAsync<InvalidRequestException>(() => Sm.StopReplicationToReplicaAsync(new StopReplicationToReplicaRequest { SecretId = "global/db" }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => Sm.ReplicateSecretToRegionsAsync(new ReplicateSecretToRegionsRequest { SecretId = "global/db", AddReplicaRegions = [new ReplicaRegionType { Region = "us-east-1" }] }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => Sm.ReplicateSecretToRegionsAsync(new ReplicateSecretToRegionsRequest { SecretId = "global/db", AddReplicaRegions = [new ReplicaRegionType { Region = "Mars" }] }));

        // Removing the region deletes the replica; the primary can then be deleted.
        RemoveRegionsFromReplicationResponse removed = await Sm.RemoveRegionsFromReplicationAsync(new RemoveRegionsFromReplicationRequest { SecretId = "global/db", RemoveReplicaRegions = ["eu-west-1"] });
        Assert.Empty(removed.ReplicationStatus);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => ireland.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "global/db" }));
        await Sm.DeleteSecretAsync(new DeleteSecretRequest { SecretId = "global/db", ForceDeleteWithoutRecovery = true });
    }

    [SkippableFact]
    public async Task A_name_taken_in_the_region_fails_the_replica_unless_overwritten_and_a_stopped_replica_stands_alone()
    {
        SecretStore london = Host.GetSecretStore("eu-west-2");
        await london.CreateSecretAsync(new CreateSecretRequest { Name = "app/key", SecretString = "local" });
        await Create("app/key", "primary-value");

        ReplicateSecretToRegionsResponse failed = await Sm.ReplicateSecretToRegionsAsync(new ReplicateSecretToRegionsRequest { SecretId = "app/key", AddReplicaRegions = [new ReplicaRegionType { Region = "eu-west-2" }] });
        Assert.Equal("Failed", Assert.Single(failed.ReplicationStatus).Status);
        Assert.Equal("local", (await london.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "app/key" })).SecretString);

        ReplicateSecretToRegionsResponse forced = await Sm.ReplicateSecretToRegionsAsync(new ReplicateSecretToRegionsRequest { SecretId = "app/key", AddReplicaRegions = [new ReplicaRegionType { Region = "eu-west-2" }], ForceOverwriteReplicaSecret = true });
        Assert.Equal("InSync", Assert.Single(forced.ReplicationStatus).Status);
        Assert.Equal("primary-value", (await london.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "app/key" })).SecretString);

        // Promoted in its own region: writable, and no longer following the primary.
        StopReplicationToReplicaResponse stopped = await london.StopReplicationToReplicaAsync(new StopReplicationToReplicaRequest { SecretId = "app/key" });
        Assert.Contains(":eu-west-2:", stopped.ARN, StringComparison.Ordinal);
        Assert.Equal("eu-west-2", (await london.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "app/key" })).PrimaryRegion);
        Assert.Null((await Sm.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "app/key" })).ReplicationStatus);
        await Put("app/key", "primary-only");
        await london.PutSecretValueAsync(new PutSecretValueRequest { SecretId = "app/key", SecretString = "london-only" });
        Assert.Equal("london-only", (await london.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "app/key" })).SecretString);
        Assert.Equal("primary-only", (await Get("app/key")).SecretString);
    }
}
