using System.Text.Json;
using Vaultlib.Authorization;
using Vaultlib.Parameters;
using Vaultlib.Secrets;

namespace Vaultlib.Tests.Parameters;

/// <summary>
/// Contract tests: <c>/aws/reference/secretsmanager/…</c> names in GetParameter(s) read Secrets Manager secrets of the
/// same Region, with AWS's answers and errors (texts as AWS sends them), and nowhere else.
/// </summary>
public abstract partial class ParameterStoreContractTests
{
    private const string Ref = "/aws/reference/secretsmanager/";

    private async Task<string> Secret(string name, string value)
    {
        CreateSecretResponse created = await Host.Secrets.CreateSecretAsync(new CreateSecretRequest { Name = name, SecretString = value });
        return created.ARN;
    }

    [SkippableFact]
    public async Task A_reference_returns_the_current_secret_as_AWS_does()
    {
        string arn = await Secret("app/db", "first");
        await Host.Secrets.PutSecretValueAsync(new PutSecretValueRequest { SecretId = "app/db", SecretString = "second" });
        GetSecretValueResponse current = await Host.Secrets.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "app/db" });

        Parameter p = await Get(Ref + "app/db", decrypt: true);
        Assert.Equal(Ref + "app/db", p.Name);
        Assert.Equal(ParameterType.SecureString, p.Type);
        Assert.Equal("second", p.Value);
        Assert.Equal(0, p.Version);
        Assert.Equal(arn, p.ARN);
        Assert.Equal(current.CreatedDate, p.LastModifiedDate);
        Assert.Null(p.DataType);
        Assert.Null(p.Selector);
        using JsonDocument source = JsonDocument.Parse(p.SourceResult!);
        Assert.Equal(arn, source.RootElement.GetProperty("ARN").GetString());
        Assert.Equal("app/db", source.RootElement.GetProperty("name").GetString());
        Assert.Equal(current.VersionId, source.RootElement.GetProperty("versionId").GetString());
        Assert.Equal("second", source.RootElement.GetProperty("secretString").GetString());
        Assert.Equal(["AWSCURRENT"], source.RootElement.GetProperty("versionStages").EnumerateArray().Select(e => e.GetString()));
        Assert.DoesNotContain("second", p.ToString(), StringComparison.Ordinal);

        // By ARN through the reference is refused (the ARN's colons are not a selector), as in AWS.
        var byArn = await Assert.ThrowsAsync<Vaultlib.Parameters.ValidationException>(() => Get(Ref + arn, decrypt: true));
        Assert.Equal("Invalid parameter name. Please use correct syntax for referencing a version/label  <name>:<version/label>", byArn.Message);
    }

    [SkippableFact]
    public async Task A_selector_names_a_staging_label_or_a_version_id()
    {
        await Secret("sel", "first");
        string firstVersion = (await Host.Secrets.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "sel" })).VersionId;
        await Host.Secrets.PutSecretValueAsync(new PutSecretValueRequest { SecretId = "sel", SecretString = "second" });

        Parameter previous = await Get(Ref + "sel:AWSPREVIOUS", decrypt: true);
        Assert.Equal(("first", ":AWSPREVIOUS", Ref + "sel"), (previous.Value, previous.Selector, previous.Name));
        Assert.Contains("\"versionStages\":[\"AWSPREVIOUS\"]", previous.SourceResult, StringComparison.Ordinal);
        Assert.Equal("first", (await Get(Ref + "sel:" + firstVersion, decrypt: true)).Value);
        Assert.Equal("second", (await Get(Ref + "sel:AWSCURRENT", decrypt: true)).Value);

        var missingStage = await Assert.ThrowsAsync<ParameterNotFoundException>(() => Get(Ref + "sel:NOSUCHSTAGE", decrypt: true));
        Assert.Equal("An error occurred (ParameterNotFound) when referencing Secrets Manager: Secret aws/reference/secretsmanager/sel:NOSUCHSTAGE not found.", missingStage.Message);
        var missing = await Assert.ThrowsAsync<ParameterNotFoundException>(() => Get(Ref + "nothing", decrypt: true));
        Assert.Equal("An error occurred (ParameterNotFound) when referencing Secrets Manager: Secret aws/reference/secretsmanager/nothingnull not found.", missing.Message);
    }

    [SkippableFact]
    public async Task Malformed_references_then_reads_without_decryption_are_refused_before_anything_is_looked_up()
    {
        await Secret("plain", "value");
        foreach (string malformed in new[] { "plain:AWSCURRENT:extra", "plain:", ":AWSCURRENT", string.Empty })
        {
            var e = await Assert.ThrowsAsync<Vaultlib.Parameters.ValidationException>(() => Get(Ref + malformed, decrypt: false));
            Assert.StartsWith("Invalid parameter name.", e.Message, StringComparison.Ordinal);
        }

        foreach (bool? decrypt in new bool?[] { false, null })
        {
            var e = await Assert.ThrowsAsync<Vaultlib.Parameters.ValidationException>(() => Ssm.GetParameterAsync(new GetParameterRequest { Name = Ref + "plain", WithDecryption = decrypt }));
            Assert.Equal("WithDecryption flag must be True for retrieving a Secret Manager secret.", e.Message);
        }

        await Assert.ThrowsAsync<Vaultlib.Parameters.ValidationException>(() => Get(Ref + "absent", decrypt: false));

        // Only reads: a reference cannot be written, and other names under /aws stay reserved.
        await Assert.ThrowsAsync<Vaultlib.Parameters.ValidationException>(() => Put(Ref + "plain", "x"));
        await Assert.ThrowsAsync<Vaultlib.Parameters.ValidationException>(() => Get("/aws/reference/other/plain", decrypt: true));
        await Assert.ThrowsAsync<Vaultlib.Parameters.ValidationException>(() => Ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = "/aws/reference/secretsmanager", Recursive = true, WithDecryption = true }));
        await Assert.ThrowsAsync<Vaultlib.Parameters.ValidationException>(() => Ssm.GetParameterHistoryAsync(new GetParameterHistoryRequest { Name = Ref + "plain", WithDecryption = true }));
    }

    [SkippableFact]
    public async Task A_deleted_secret_is_an_invalid_request_and_a_binary_secret_has_no_value()
    {
        await Secret("gone", "value");
        await Host.Secrets.DeleteSecretAsync(new DeleteSecretRequest { SecretId = "gone", RecoveryWindowInDays = 7 });
        var deleted = await Assert.ThrowsAsync<Vaultlib.Parameters.ValidationException>(() => Get(Ref + "gone", decrypt: true));
        Assert.Equal("Invalid Request to Secrets Manager", deleted.Message);

        await Host.Secrets.CreateSecretAsync(new CreateSecretRequest { Name = "bin", SecretBinary = new byte[] { 1, 2, 3 } });
        Parameter binary = await Get(Ref + "bin", decrypt: true);
        Assert.Equal(ParameterType.SecureString, binary.Type);
        Assert.Null(binary.Value);
    }

    [SkippableFact]
    public async Task The_caller_needs_GetSecretValue_on_the_secret_and_a_refusal_says_nothing_of_whether_it_exists()
    {
        await Secret("guarded", "value");
        var caller = new CallerIdentity { Principal = "arn:aws:iam::111122223333:user/ssm-only" };
        Host.IdentityPolicies.Set(caller.Principal, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:GetParameter","ssm:GetParameters"],"Resource":"*"}]}""");
        ParameterStore asCaller = Ssm.AsCaller(caller);
        const string DependencyFailed = "An error occurred while calling one AWS dependency service.";
        foreach (string name in new[] { "guarded", "missing" })
        {
            var e = await Assert.ThrowsAsync<Vaultlib.Parameters.ValidationException>(() => asCaller.GetParameterAsync(new GetParameterRequest { Name = Ref + name, WithDecryption = true }));
            Assert.Equal(DependencyFailed, e.Message);
        }

        var batch = await Assert.ThrowsAsync<Vaultlib.Parameters.ValidationException>(() => asCaller.GetParametersAsync(new GetParametersRequest { Names = [Ref + "guarded", Ref + "missing"], WithDecryption = true }));
        Assert.Equal(DependencyFailed, batch.Message);

        string arn = (await Host.Secrets.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "guarded" })).ARN;
        Host.IdentityPolicies.Set(caller.Principal, $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:GetParameter","ssm:GetParameters"],"Resource":"*"},{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"{{arn}}"}]}""");
        Assert.Equal("value", (await asCaller.GetParameterAsync(new GetParameterRequest { Name = Ref + "guarded", WithDecryption = true })).Parameter.Value);
        Assert.Equal("value", Assert.Single((await asCaller.GetParametersAsync(new GetParametersRequest { Names = [Ref + "guarded"], WithDecryption = true })).Parameters).Value);

        // Without ssm:GetParameter on the reference's name, Parameter Store refuses first.
        Host.IdentityPolicies.Set(caller.Principal, $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"{{arn}}"}]}""");
        await Assert.ThrowsAsync<Vaultlib.Parameters.AccessDeniedException>(() => asCaller.GetParameterAsync(new GetParameterRequest { Name = Ref + "guarded", WithDecryption = true }));
        Assert.Contains(Audit.Query(eventName: "GetSecretValue"), e => e.EventSource == "secretsmanager.amazonaws.com");
    }

    [SkippableFact]
    public async Task GetParameters_lists_every_reference_it_cannot_answer_as_invalid()
    {
        await Secret("batch", "first");
        await Host.Secrets.PutSecretValueAsync(new PutSecretValueRequest { SecretId = "batch", SecretString = "second" });
        await Put("/plain/batch", "plain");
        string[] unanswerable = [Ref + "batch-missing", Ref + "batch:NOSUCH", Ref + "batch:a:b"];

        GetParametersResponse both = await Ssm.GetParametersAsync(new GetParametersRequest { Names = [Ref + "batch", Ref + "batch:AWSPREVIOUS", .. unanswerable, "/plain/batch"], WithDecryption = true });
        Assert.Equal(["first", "plain", "second"], both.Parameters.Select(p => p.Value).Order());
        Assert.Equal(unanswerable.Order(), both.InvalidParameters.Order());

        GetParametersResponse plain = await Ssm.GetParametersAsync(new GetParametersRequest { Names = [Ref + "batch", "/plain/batch"], WithDecryption = false });
        Assert.Equal("plain", Assert.Single(plain.Parameters).Value);
        Assert.Equal(Ref + "batch", Assert.Single(plain.InvalidParameters));
    }
}
