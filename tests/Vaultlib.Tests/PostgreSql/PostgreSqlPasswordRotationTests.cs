using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Vaultlib.PostgreSql;
using Vaultlib.Secrets;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.PostgreSql;

/// <summary>
/// The ready PostgreSQL password rotation against the real server CI starts: a database user of the test's own,
/// whose password the rotation changes (on a schedule, with a fake clock), and a login with each password to see it.
/// </summary>
public sealed class PostgreSqlPasswordRotationTests : IAsyncLifetime, IDisposable
{
    private const string FunctionArn = "arn:aws:lambda:us-east-1:111122223333:function:rotate-postgres";
    private readonly string _user = "rot_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
    private readonly FakeTimeProvider _clock = TestData.NewClock();
    private VaultlibHost _host = null!;
    private NpgsqlConnectionStringBuilder? _server;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Makes the database user and the host; a missing server skips (or, under CI, fails) here.</summary>
    private async Task OpenAsync()
    {
        PostgreSqlServer.Require();
        await PostgreSqlServer.ExecuteAsync($"CREATE ROLE {_user} LOGIN PASSWORD 'initial-password'");
        _server = new NpgsqlConnectionStringBuilder(PostgreSqlServer.ConnectionString);
        _host = new VaultlibHost(timeProvider: _clock);
        _host.RotationFunctions.Register(FunctionArn, new PostgreSqlPasswordRotation());
    }

    public void Dispose() => _host?.Dispose();

    public async Task DisposeAsync()
    {
        _host?.Dispose();
        if (_server is not null)
        {
            await PostgreSqlServer.ExecuteAsync($"DROP ROLE IF EXISTS {_user}");
        }
    }

    private string Credentials(string password) => new JsonObject
    {
        ["engine"] = "postgres",
        ["host"] = _server!.Host,
        ["port"] = _server.Port,
        ["username"] = _user,
        ["password"] = password,
        ["dbname"] = _server.Database,
    }.ToJsonString();

    private async Task<bool> LogsInAsync(string password)
    {
        var builder = new NpgsqlConnectionStringBuilder(_server!.ConnectionString) { Username = _user, Password = password, Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync();
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidPassword)
        {
            return false;
        }
    }

    private static string Password(string? secretString) => JsonNode.Parse(secretString!)!["password"]!.GetValue<string>();

    private async Task<string> PasswordAsync(string stage = "AWSCURRENT") =>
        JsonNode.Parse((await _host.Secrets.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "prod/db", VersionStage = stage })).SecretString!)!["password"]!.GetValue<string>();

    [SkippableFact]
    public async Task A_rotation_changes_the_database_password_and_only_the_new_one_logs_in()
    {
        await OpenAsync();
        await _host.Secrets.CreateSecretAsync(new CreateSecretRequest { Name = "prod/db", SecretString = Credentials("initial-password") });
        Assert.True(await LogsInAsync("initial-password"));

        await _host.Secrets.RotateSecretAsync(new RotateSecretRequest { SecretId = "prod/db", RotationLambdaARN = FunctionArn, RotationRules = new RotationRulesType { AutomaticallyAfterDays = 30 } });

        string rotated = await PasswordAsync();
        Assert.Equal(32, rotated.Length);
        Assert.DoesNotContain(rotated, c => "/@\"'\\".Contains(c));
        Assert.True(await LogsInAsync(rotated));
        Assert.False(await LogsInAsync("initial-password"));
        Assert.Equal("initial-password", await PasswordAsync("AWSPREVIOUS"));
    }

    [SkippableFact]
    public async Task The_scheduler_rotates_on_time_and_reads_through_the_cache_follow()
    {
        await OpenAsync();
        await _host.Secrets.CreateSecretAsync(new CreateSecretRequest { Name = "prod/db", SecretString = Credentials("initial-password") });
        using var cache = new SecretsManagerCache(_host.Secrets, new SecretCacheConfiguration { RefreshOnChange = true });
        Assert.Equal("initial-password", Password(await cache.GetSecretStringAsync("prod/db")));
        _host.Scheduler.Start();
        await _host.Secrets.RotateSecretAsync(new RotateSecretRequest { SecretId = "prod/db", RotationLambdaARN = FunctionArn, RotationRules = new RotationRulesType { ScheduleExpression = "rate(1 day)" }, RotateImmediately = false });
        Assert.True(await LogsInAsync("initial-password"));

        _clock.Advance(TimeSpan.FromDays(1));
        await _host.Scheduler.WhenIdleAsync();
        string first = await PasswordAsync();
        Assert.NotEqual("initial-password", first);
        Assert.True(await LogsInAsync(first));
        Assert.Equal(first, Password(await cache.GetSecretStringAsync("prod/db")));

        _clock.Advance(TimeSpan.FromDays(1));
        await _host.Scheduler.WhenIdleAsync();
        string second = await PasswordAsync();
        Assert.NotEqual(first, second);
        Assert.True(await LogsInAsync(second));
        Assert.False(await LogsInAsync(first));
    }

    [SkippableFact]
    public async Task A_rotation_that_fails_leaves_the_database_and_the_secret_usable_and_a_retry_finishes_it()
    {
        await OpenAsync();
        // The current value's password is wrong (changed behind Secrets Manager's back), and there is no previous one.
        await _host.Secrets.CreateSecretAsync(new CreateSecretRequest { Name = "prod/db", SecretString = Credentials("not-the-password") });
        await _host.Secrets.RotateSecretAsync(new RotateSecretRequest { SecretId = "prod/db", RotationLambdaARN = FunctionArn });
        DescribeSecretResponse failed = await _host.Secrets.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "prod/db" });
        Assert.Contains(failed.VersionIdsToStages!, v => v.Value.Contains("AWSPENDING"));
        Assert.Equal("not-the-password", await PasswordAsync());
        Assert.True(await LogsInAsync("initial-password"));

        // Put right, the next RotateSecret reattempts the same pending version (and answers, as AWS does, that a
        // previous rotation was not complete); the reattempt finishes it.
        await _host.Secrets.PutSecretValueAsync(new PutSecretValueRequest { SecretId = "prod/db", SecretString = Credentials("initial-password") });
        string pendingId = failed.VersionIdsToStages!.Single(v => v.Value.Contains("AWSPENDING")).Key;
        await Assert.ThrowsAsync<InvalidRequestException>(() => _host.Secrets.RotateSecretAsync(new RotateSecretRequest { SecretId = "prod/db" }));
        Assert.Equal(pendingId, (await _host.Secrets.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "prod/db" })).VersionId);
        string rotated = await PasswordAsync();
        Assert.True(await LogsInAsync(rotated));
        Assert.False(await LogsInAsync("initial-password"));
    }

    [Fact]
    public async Task Malformed_credentials_are_refused_with_a_clear_error_and_no_password_in_it()
    {
        var rotation = new PostgreSqlPasswordRotation();
        using var host = new VaultlibHost(timeProvider: _clock);
        string arn = (await host.Secrets.CreateSecretAsync(new CreateSecretRequest { Name = "bad", SecretString = """{"host":"h","password":"p4ss-word"}""" })).ARN;
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => rotation.InvokeAsync(new SecretRotationEvent { Step = "createSecret", SecretId = arn, ClientRequestToken = Guid.NewGuid().ToString() }, host.Secrets, default));
        Assert.Contains("'username'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("p4ss-word", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => rotation.InvokeAsync(new SecretRotationEvent { Step = "nextSecret", SecretId = arn, ClientRequestToken = "t" }, host.Secrets, default));
    }
}
