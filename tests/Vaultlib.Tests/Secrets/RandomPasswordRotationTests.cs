using System.Text.Json;
using Vaultlib.Secrets;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Secrets;

/// <summary><see cref="RandomPasswordRotation"/>: a new password in the value (or its <c>password</c> member), the old one kept as AWSPREVIOUS, and a retried rotation reusing its pending value.</summary>
public sealed class RandomPasswordRotationTests : IDisposable
{
    private const string FunctionArn = "arn:aws:lambda:us-east-1:111122223333:function:vaultlib-random-password";
    private readonly VaultlibHost _host = new(timeProvider: TestData.NewClock());

    public RandomPasswordRotationTests() => _host.RotationFunctions.Register(FunctionArn, new RandomPasswordRotation { PasswordLength = 40, ExcludeCharacters = "abc" });

    public void Dispose() => _host.Dispose();

    private async Task<(string Current, string Previous)> RotateAsync(string value)
    {
        SecretStore sm = _host.Secrets;
        await sm.CreateSecretAsync(new CreateSecretRequest { Name = "app", SecretString = value });
        await sm.RotateSecretAsync(new RotateSecretRequest { SecretId = "app", RotationLambdaARN = FunctionArn });
        string current = (await sm.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "app" })).SecretString!;
        string previous = (await sm.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "app", VersionStage = "AWSPREVIOUS" })).SecretString!;
        return (current, previous);
    }

    [Fact]
    public async Task A_plain_value_becomes_a_new_random_password_of_the_configured_length_and_alphabet()
    {
        (string current, string previous) = await RotateAsync("old-password");
        Assert.Equal("old-password", previous);
        Assert.Equal(40, current.Length);
        Assert.DoesNotContain(current, c => c is 'a' or 'b' or 'c');
    }

    [Fact]
    public async Task A_JSON_value_keeps_its_other_members_and_gets_a_new_password_member()
    {
        (string current, string previous) = await RotateAsync("""{"username":"app","password":"old","port":5432}""");
        using JsonDocument json = JsonDocument.Parse(current);
        Assert.Equal("app", json.RootElement.GetProperty("username").GetString());
        Assert.Equal(5432, json.RootElement.GetProperty("port").GetInt32());
        Assert.Equal(40, json.RootElement.GetProperty("password").GetString()!.Length);
        Assert.Contains("\"password\":\"old\"", previous, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JSON_without_a_password_member_is_replaced_whole()
    {
        (string current, _) = await RotateAsync("""{"token":"old"}""");
        Assert.Equal(40, current.Length);
    }

    [Fact]
    public async Task A_retried_createSecret_keeps_the_pending_value_it_made()
    {
        SecretStore sm = _host.Secrets;
        var function = new RandomPasswordRotation();
        await sm.CreateSecretAsync(new CreateSecretRequest { Name = "retry", SecretString = "old" });
        string arn = (await sm.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "retry" })).ARN;
        string token = Guid.NewGuid().ToString();
        await sm.PutSecretValueAsync(new PutSecretValueRequest { SecretId = arn, ClientRequestToken = token, SecretString = "made-before", VersionStages = ["AWSPENDING"] });
        var e = new SecretRotationEvent { Step = "createSecret", SecretId = arn, ClientRequestToken = token };

        await function.InvokeAsync(e, sm, CancellationToken.None);
        await function.InvokeAsync(e with { Step = "finishSecret" }, sm, CancellationToken.None);
        await function.InvokeAsync(e with { Step = "finishSecret" }, sm, CancellationToken.None); // again: nothing to move

        Assert.Equal("made-before", (await sm.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "retry" })).SecretString);
        Assert.Equal("old", (await sm.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "retry", VersionStage = "AWSPREVIOUS" })).SecretString);
        await Assert.ThrowsAsync<ArgumentException>(() => function.InvokeAsync(e with { Step = "unknownStep" }, sm, CancellationToken.None));
    }

    [Fact]
    public async Task A_binary_secret_cannot_be_rotated_to_a_password()
    {
        SecretStore sm = _host.Secrets;
        await sm.CreateSecretAsync(new CreateSecretRequest { Name = "bin", SecretBinary = new byte[] { 1, 2, 3 } });
        string arn = (await sm.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "bin" })).ARN;
        var e = new SecretRotationEvent { Step = "createSecret", SecretId = arn, ClientRequestToken = Guid.NewGuid().ToString() };
        await Assert.ThrowsAsync<InvalidOperationException>(() => new RandomPasswordRotation().InvokeAsync(e, sm, CancellationToken.None));
    }
}
