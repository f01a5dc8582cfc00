using System.Text;
using Vaultlib.Authorization;
using Vaultlib.Keys;
using Vaultlib.Secrets;
using Vaultlib.Storage;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Secrets;

/// <summary>Contract tests: how values are encrypted through KMS (as the caller, with AWS's context), what KMS's refusals become, and what is never stored or shown.</summary>
public abstract partial class SecretStoreContractTests
{
    [SkippableFact]
    public async Task Values_are_sealed_through_KMS_as_the_caller_with_the_secret_s_ARN_and_version_as_context()
    {
        CreateSecretResponse created = await Create("ctx", "value", token: Token(1));
        Assert.Single((await Kms.ListAliasesAsync(new ListAliasesRequest())).Aliases, a => a.AliasName == "alias/aws/secretsmanager");
        Vaultlib.Audit.AuditEvent generate = Assert.Single(Audit.Query(eventName: "GenerateDataKey"));
        Assert.Equal("kms.amazonaws.com", generate.EventSource);
        Assert.Equal(created.ARN, generate.RequestParameters!["encryptionContext"]!["SecretARN"]!.GetValue<string>());
        Assert.Equal(Token(1), generate.RequestParameters!["encryptionContext"]!["SecretVersionId"]!.GetValue<string>());
        Assert.Equal("secretsmanager.us-east-1.amazonaws.com", generate.SourceIPAddress);

        await Get("ctx");
        Assert.Single(Audit.Query(eventName: "Decrypt"));
        Assert.Contains(Audit.Query(eventName: "GetSecretValue"), e => e.EventSource == "secretsmanager.amazonaws.com" && e.ResponseElements?.ToJsonString().Contains("value", StringComparison.Ordinal) != true);
    }

    [SkippableFact]
    public async Task A_caller_that_KMS_denies_Decrypt_cannot_read_and_an_unusable_key_is_a_DecryptionFailure()
    {
        KeyMetadata key = (await Kms.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata;
        await Create("team/db", "classified", keyId: key.KeyId);
        var reader = new CallerIdentity { Principal = "arn:aws:iam::111122223333:user/reader" };
        Host.IdentityPolicies.Set(reader.Principal, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:us-east-1:111122223333:secret:team/*"}]}""");
        SecretStore asReader = Sm.AsCaller(reader);
        var denied = await Assert.ThrowsAsync<Vaultlib.Secrets.AccessDeniedException>(() => asReader.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "team/db" }));
        Assert.Contains("kms:Decrypt", denied.Message, StringComparison.Ordinal);

        Host.IdentityPolicies.Set(reader.Principal,
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:us-east-1:111122223333:secret:team/*"},{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"secretsmanager.us-east-1.amazonaws.com"}}}]}""");
        Assert.Equal("classified", (await asReader.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "team/db" })).SecretString);
        await Assert.ThrowsAsync<Vaultlib.Secrets.AccessDeniedException>(() => asReader.PutSecretValueAsync(new PutSecretValueRequest { SecretId = "team/db", SecretString = "x" }));
        await Create("other/db");
        var outside = await Assert.ThrowsAsync<Vaultlib.Secrets.AccessDeniedException>(() => asReader.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "other/db" }));
        Assert.Contains("secretsmanager:GetSecretValue", outside.Message, StringComparison.Ordinal);

        await Kms.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId });
        Assert.Equal("DecryptionFailure", (await Assert.ThrowsAsync<DecryptionFailureException>(() => Get("team/db"))).ErrorCode);
        Assert.Equal("EncryptionFailure", (await Assert.ThrowsAsync<EncryptionFailureException>(() => Put("team/db", "new"))).ErrorCode);
    }

    [SkippableFact]
    public async Task Every_read_asks_KMS_again_so_one_caller_s_reads_never_open_the_value_to_another()
    {
        // A key of the account's own: the AWS managed key lets every principal of the account decrypt through Secrets Manager.
        KeyMetadata key = (await Kms.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata;
        await Create("hot", "warm value", keyId: key.KeyId);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal("warm value", (await Get("hot")).SecretString);
        }

        Assert.Equal(3, Audit.Query(eventName: "Decrypt").Count);
        var reader = new CallerIdentity { Principal = "arn:aws:iam::111122223333:user/no-kms" };
        Host.IdentityPolicies.Set(reader.Principal, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""");
        var denied = await Assert.ThrowsAsync<Vaultlib.Secrets.AccessDeniedException>(() => Sm.AsCaller(reader).GetSecretValueAsync(new GetSecretValueRequest { SecretId = "hot" }));
        Assert.Contains("kms:Decrypt", denied.Message, StringComparison.Ordinal);
        Assert.Equal("warm value", (await Get("hot")).SecretString);
    }

    [SkippableFact]
    public async Task UpdateSecret_with_a_new_key_seals_the_labelled_versions_again_under_it()
    {
        KeyMetadata oldKey = (await Kms.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata;
        KeyMetadata newKey = (await Kms.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata;
        await Create("rekey", "one", token: Token(1), keyId: oldKey.KeyId);
        await Put("rekey", "two", Token(2));
        await Put("rekey", "three", Token(3));
        UpdateSecretResponse updated = await Sm.UpdateSecretAsync(new UpdateSecretRequest { SecretId = "rekey", KmsKeyId = newKey.Arn, Description = "moved" });
        Assert.Null(updated.VersionId);

        await Kms.DisableKeyAsync(new DisableKeyRequest { KeyId = oldKey.KeyId });
        Assert.Equal("three", (await Get("rekey")).SecretString);
        Assert.Equal("two", (await Get("rekey", stage: "AWSPREVIOUS")).SecretString);
        await Assert.ThrowsAsync<DecryptionFailureException>(() => Get("rekey", versionId: Token(1))); // deprecated: left under the old key, as AWS leaves it
        DescribeSecretResponse described = await Sm.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "rekey" });
        Assert.Equal(newKey.Arn, described.KmsKeyId);
        Assert.Equal("moved", described.Description);

        UpdateSecretResponse withValue = await Sm.UpdateSecretAsync(new UpdateSecretRequest { SecretId = "rekey", SecretString = "four", ClientRequestToken = Token(4) });
        Assert.Equal(Token(4), withValue.VersionId);
        Assert.Equal("four", (await Get("rekey")).SecretString);
        Assert.Equal("three", (await Get("rekey", stage: "AWSPREVIOUS")).SecretString);
    }

    [SkippableFact]
    public async Task Secrets_survive_a_restart_and_no_value_is_stored_audited_logged_or_shown()
    {
        const string Secret = "the-vault-combination-8812";
        var logs = new CapturingLoggerProvider();
        Vault vault = CreateVault(Clock);
        var errors = new List<Exception>();
        using (var first = new VaultlibHost(vault, ownsVault: false, timeProvider: Clock, loggerFactory: logs, auditSink: Audit))
        {
            await first.Secrets.CreateSecretAsync(new CreateSecretRequest { Name = "keep", SecretString = Secret, ClientRequestToken = Token(1) });
            await first.Secrets.PutSecretValueAsync(new PutSecretValueRequest { SecretId = "keep", SecretBinary = Encoding.UTF8.GetBytes(Secret + "-bin") });
            GetSecretValueResponse read = await first.Secrets.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "keep", VersionId = Token(1) });
            Assert.DoesNotContain(Secret, read.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, new CreateSecretRequest { Name = "n", SecretString = Secret }.ToString(), StringComparison.Ordinal);
            foreach (Func<Task> failing in new Func<Task>[]
            {
                () => first.Secrets.PutSecretValueAsync(new PutSecretValueRequest { SecretId = "keep", SecretString = Secret + "-other", ClientRequestToken = Token(1) }),
                () => first.Secrets.CreateSecretAsync(new CreateSecretRequest { Name = "keep", SecretString = Secret }),
                () => first.Secrets.CreateSecretAsync(new CreateSecretRequest { Name = "bad name", SecretString = Secret }),
                () => first.Secrets.CreateSecretAsync(new CreateSecretRequest { Name = "no-key", SecretString = Secret, KmsKeyId = "alias/none" }),
            })
            {
                errors.Add(await Assert.ThrowsAnyAsync<SecretsManagerException>(failing));
            }
        }

        using var second = new VaultlibHost(vault, ownsVault: false, timeProvider: Clock);
        Assert.Equal(Secret, (await second.Secrets.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "keep", VersionStage = "AWSPREVIOUS" })).SecretString);
        Assert.Equal(Secret + "-bin", Encoding.UTF8.GetString((await second.Secrets.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "keep" })).SecretBinary!.Value.Span));

        Assert.DoesNotContain(errors, e => e.ToString().Contains(Secret, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Contains(Secret, StringComparison.Ordinal));
        Assert.DoesNotContain(Audit.Events, e => e.ToJson().Contains(Secret, StringComparison.Ordinal));
        var needles = new SecretNeedles();
        needles.Add("string value", Encoding.UTF8.GetBytes(Secret));
        foreach (StoredRecord stored in (await vault.Store.ReadAllAsync("secretsmanager/us-east-1/111122223333")).Records)
        {
            Assert.Empty(needles.FoundIn(stored.Data.Span));
        }

        byte[]? opened = null;
        Assert.True(await vault.Records("secretsmanager/us-east-1/111122223333").ReadAsync("secrets", "keep", (_, _, plaintext) => opened = plaintext.ToArray(), CancellationToken.None));
        Assert.Empty(needles.FoundIn(opened));
        vault.Dispose();
    }
}
