using System.Text;
using Vaultlib.Authorization;
using Vaultlib.Keys;
using Vaultlib.Parameters;

namespace Vaultlib.Tests.Parameters;

/// <summary>Contract tests: the contract of SSM <c>GetParameter</c>, SecureStrings through KMS above all.</summary>
public abstract partial class ParameterStoreContractTests
{
    [SkippableFact]
    public async Task A_SecureString_is_stored_as_KMS_ciphertext_under_alias_aws_ssm_bound_to_the_parameter_ARN()
    {
        await Put("/app/db/password", "hunter2", ParameterType.SecureString);

        Parameter encrypted = await Get("/app/db/password");
        Assert.Equal(ParameterType.SecureString, encrypted.Type);
        Assert.NotEqual("hunter2", encrypted.Value);
        byte[] blob = Convert.FromBase64String(encrypted.Value!);
        Assert.Equal("hunter2", (await Get("/app/db/password", decrypt: true)).Value);

        // The ciphertext is KMS's: it decrypts through KMS with SSM's encryption context, and with nothing else. The AWS
        // managed key's policy lets the account use it only through SSM, as AWS's does: directly, even the root is refused.
        var context = new Dictionary<string, string> { ["PARAMETER_ARN"] = "arn:aws:ssm:us-east-1:111122223333:parameter/app/db/password" };
        await Assert.ThrowsAsync<Vaultlib.Keys.AccessDeniedException>(() => Kms.DecryptAsync(new DecryptRequest { CiphertextBlob = blob, EncryptionContext = context }));
        KeyService viaSsm = Kms.AsCaller(new CallerIdentity { Principal = "arn:aws:iam::111122223333:root", ViaService = "ssm.us-east-1.amazonaws.com" });
        DecryptResponse direct = await viaSsm.DecryptAsync(new DecryptRequest { CiphertextBlob = blob, EncryptionContext = context });
        Assert.Equal("hunter2", Encoding.UTF8.GetString(direct.Plaintext.Span));
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => viaSsm.DecryptAsync(new DecryptRequest { CiphertextBlob = blob }));
        Assert.Equal((await Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/aws/ssm" })).KeyMetadata.Arn, direct.KeyId);

        // KMS's audit trail shows SSM's calls, made as the caller through ssm.us-east-1.amazonaws.com.
        Assert.Contains(Audit.Query(eventName: "Encrypt"), e => e.EventSource == "kms.amazonaws.com");
        Assert.Contains(Audit.Query(eventName: "GetParameter"), e => e.EventSource == "ssm.amazonaws.com");
    }

    [SkippableFact]
    public async Task A_SecureString_uses_the_key_given_and_an_unusable_key_is_InvalidKeyId()
    {
        KeyMetadata key = (await Kms.CreateKeyAsync(new CreateKeyRequest { Description = "params" })).KeyMetadata;
        await Kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/params", TargetKeyId = key.KeyId });
        await Put("/custom", "v1", ParameterType.SecureString, keyId: "alias/params");
        DecryptResponse direct = await Kms.DecryptAsync(new DecryptRequest
        {
            CiphertextBlob = Convert.FromBase64String((await Get("/custom")).Value!),
            EncryptionContext = new Dictionary<string, string> { ["PARAMETER_ARN"] = "arn:aws:ssm:us-east-1:111122223333:parameter/custom" },
        });
        Assert.Equal(key.Arn, direct.KeyId);
        Assert.Equal("alias/params", (await Ssm.DescribeParametersAsync(new DescribeParametersRequest())).Parameters.Single(p => p.Name == "/custom").KeyId);

        var missing = await Assert.ThrowsAsync<InvalidKeyIdException>(() => Put("/other", "v", ParameterType.SecureString, keyId: "alias/none"));
        Assert.Equal("InvalidKeyId", missing.ErrorCode);
        await Kms.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId });
        await Assert.ThrowsAsync<InvalidKeyIdException>(() => Put("/custom", "v2", ParameterType.SecureString, overwrite: true));
        await Assert.ThrowsAsync<InvalidKeyIdException>(() => Get("/custom", decrypt: true));
        Assert.NotEmpty((await Get("/custom")).Value!);
    }

    [SkippableFact]
    public async Task A_caller_that_KMS_denies_Decrypt_reads_only_the_ciphertext()
    {
        // A customer managed key's default policy delegates to IAM: the reader needs kms:Decrypt in its own policy.
        KeyMetadata key = (await Kms.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata;
        await Put("/team/secret", "classified", ParameterType.SecureString, keyId: key.KeyId);
        var reader = new CallerIdentity { Principal = "arn:aws:iam::111122223333:user/reader" };
        Host.IdentityPolicies.Set(reader.Principal, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameter","Resource":"arn:aws:ssm:us-east-1:111122223333:parameter/team/*"}]}""");
        ParameterStore asReader = Ssm.AsCaller(reader);

        Assert.NotEqual("classified", (await asReader.GetParameterAsync(new GetParameterRequest { Name = "/team/secret" })).Parameter.Value);
        var denied = await Assert.ThrowsAsync<Vaultlib.Parameters.AccessDeniedException>(() => asReader.GetParameterAsync(new GetParameterRequest { Name = "/team/secret", WithDecryption = true }));
        Assert.Contains("kms:Decrypt", denied.Message, StringComparison.Ordinal);

        Host.IdentityPolicies.Set(reader.Principal,
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameter","Resource":"arn:aws:ssm:us-east-1:111122223333:parameter/team/*"},{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}""");
        Assert.Equal("classified", (await asReader.GetParameterAsync(new GetParameterRequest { Name = "/team/secret", WithDecryption = true })).Parameter.Value);
        await Assert.ThrowsAsync<Vaultlib.Parameters.AccessDeniedException>(() => asReader.PutParameterAsync(new PutParameterRequest { Name = "/team/secret", Value = "x", Overwrite = true }));
        await Put("/other/thing", "v");
        var outside = await Assert.ThrowsAsync<Vaultlib.Parameters.AccessDeniedException>(() => asReader.GetParameterAsync(new GetParameterRequest { Name = "/other/thing" }));
        Assert.Contains("ssm:GetParameter", outside.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task An_advanced_SecureString_over_4_KB_is_an_envelope_under_the_same_key()
    {
        string big = new('z', 6000);
        await Put("/big", big, ParameterType.SecureString, tier: ParameterTier.Advanced);
        Assert.Equal(big, (await Get("/big", decrypt: true)).Value);
        Assert.DoesNotContain("zzzz", Encoding.Latin1.GetString(Convert.FromBase64String((await Get("/big")).Value!)), StringComparison.Ordinal);
        Assert.Contains(Audit.Query(eventName: "GenerateDataKey"), e => e.EventSource == "kms.amazonaws.com");
    }

    [SkippableFact]
    public async Task GetParameter_selects_versions_and_labels_and_says_which_is_missing()
    {
        await Put("/sel", "one");
        await Put("/sel", "two", overwrite: true);
        await Ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = "/sel", ParameterVersion = 1, Labels = ["prod"] });

        Assert.Equal("one", (await Get("/sel:prod")).Value);
        Assert.Equal(":prod", (await Get("/sel:prod")).Selector);
        Assert.Equal("two", (await Get("/sel:2")).Value);
        Assert.Equal("ParameterVersionNotFound", (await Assert.ThrowsAsync<ParameterVersionNotFoundException>(() => Get("/sel:3"))).ErrorCode);
        await Assert.ThrowsAsync<ParameterVersionNotFoundException>(() => Get("/sel:staging"));
        var missing = await Assert.ThrowsAsync<ParameterNotFoundException>(() => Get("/nothing"));
        Assert.Equal("ParameterNotFound", missing.ErrorCode);
    }
}
