// Vaultlib Secrets Manager sample: the notes' database password, rotated on a schedule by the ready
// PostgreSQL rotation function against a real PostgreSQL server (a fake clock stands in for the days),
// read through the caching client before, during and after the rotation, then replicated to a second
// region and read there. The server comes from VAULTLIB_SAMPLE_POSTGRES (or VAULTLIB_TEST_POSTGRES, which
// .ci/run sets): a connection string for a role that may create roles; the sample makes a database user
// of its own and drops it at the end. Passwords are never printed, only whether they log in.
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Vaultlib;
using Vaultlib.PostgreSql;
using Vaultlib.Secrets;

string? server = Environment.GetEnvironmentVariable("VAULTLIB_SAMPLE_POSTGRES") ?? Environment.GetEnvironmentVariable("VAULTLIB_TEST_POSTGRES");
if (string.IsNullOrEmpty(server))
{
    Console.Error.WriteLine("This sample rotates a real PostgreSQL user's password. Start a server (Debian: apt-get install postgresql) and set");
    Console.Error.WriteLine("VAULTLIB_SAMPLE_POSTGRES=\"Host=127.0.0.1;Username=<a role with CREATEROLE>;Password=…;Database=…\"; .ci/run does all of this.");
    return 2;
}

const string FunctionArn = "arn:aws:lambda:us-east-1:111122223333:function:rotate-postgres";
string user = "sample_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
string initial = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
var admin = new NpgsqlConnectionStringBuilder(server);
await Sql(server, $"CREATE ROLE {user} LOGIN PASSWORD '{initial}'");
try
{
    var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));
    using var host = new VaultlibHost(timeProvider: clock);
    SecretStore secrets = host.Secrets;
    using var cache = new SecretsManagerCache(secrets, timeProvider: clock);

    // 1. The database credentials as AWS keeps them: a JSON secret, sealed through KMS (alias/aws/secretsmanager).
    string credentials = new JsonObject { ["engine"] = "postgres", ["host"] = admin.Host, ["port"] = admin.Port, ["username"] = user, ["password"] = initial, ["dbname"] = admin.Database }.ToJsonString();
    CreateSecretResponse created = await secrets.CreateSecretAsync(new CreateSecretRequest { Name = "prod/app/db", SecretString = credentials });
    Console.WriteLine($"1. Created {created.ARN}");
    Console.WriteLine($"   Through the cache, the password {await LogsIn(await cache.GetSecretStringAsync("prod/app/db"))}");

    // 2. The rotation function, registered under the ARN the secret names; it reports what the cache gives after each step.
    host.RotationFunctions.Register(FunctionArn, new Observed(new PostgreSqlPasswordRotation(), cache, LogsIn));
    host.Scheduler.Start();
    await secrets.RotateSecretAsync(new RotateSecretRequest
    {
        SecretId = "prod/app/db",
        RotationLambdaARN = FunctionArn,
        RotationRules = new RotationRulesType { ScheduleExpression = "rate(7 days)" },
        RotateImmediately = false, // RotateImmediately = false runs testSecret only; the schedule does the rest
    });
    Console.WriteLine($"2. Rotation scheduled: rate(7 days), next at {(await secrets.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "prod/app/db" })).NextRotationDate:u}");

    // 3. A week passes: the scheduler rotates on its own, and the cache follows (it refreshes on the store's change events).
    Console.WriteLine("3. Seven days later, the scheduler runs the rotation:");
    clock.Advance(TimeSpan.FromDays(7));
    await host.Scheduler.WhenIdleAsync();
    DescribeSecretResponse rotated = await secrets.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "prod/app/db" });
    Console.WriteLine($"   Last rotated {rotated.LastRotatedDate:u}, next at {rotated.NextRotationDate:u}; versions: {string.Join(", ", rotated.VersionIdsToStages!.Values.Select(s => string.Join('+', s)))}");
    Console.WriteLine($"   The initial password {await LogsIn(credentials)}; through the cache, the password {await LogsIn(await cache.GetSecretStringAsync("prod/app/db"))}");

    // 4. Replicate to a second region: the replica is re-encrypted under that region's key and stays in sync.
    await secrets.ReplicateSecretToRegionsAsync(new ReplicateSecretToRegionsRequest { SecretId = "prod/app/db", AddReplicaRegions = [new ReplicaRegionType { Region = "eu-west-1" }] });
    SecretStore ireland = host.GetSecretStore("eu-west-1");
    GetSecretValueResponse replica = await ireland.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "prod/app/db" });
    Console.WriteLine($"4. Replica {replica.ARN}: its password {await LogsIn(replica.SecretString)}");
    clock.Advance(TimeSpan.FromDays(7));
    await host.Scheduler.WhenIdleAsync();
    replica = await ireland.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "prod/app/db" });
    Console.WriteLine($"   After the next rotation, the replica's password {await LogsIn(replica.SecretString)}");
    try
    {
        await ireland.PutSecretValueAsync(new PutSecretValueRequest { SecretId = "prod/app/db", SecretString = "{}" });
    }
    catch (SecretsManagerException e)
    {
        Console.WriteLine($"   A write to the replica is refused: {e.ErrorCode}: {e.Message}");
    }

    return 0;
}
finally
{
    NpgsqlConnection.ClearAllPools();
    await Sql(server, $"DROP ROLE IF EXISTS {user}");
}

// Whether the credentials in a secret string log in to the database.
async Task<string> LogsIn(string? secretString)
{
    JsonNode json = JsonNode.Parse(secretString!)!;
    var builder = new NpgsqlConnectionStringBuilder(server) { Username = json["username"]!.GetValue<string>(), Password = json["password"]!.GetValue<string>(), Pooling = false };
    await using var connection = new NpgsqlConnection(builder.ConnectionString);
    try
    {
        await connection.OpenAsync();
        return "logs in";
    }
    catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidPassword)
    {
        return "no longer logs in";
    }
}

static async Task Sql(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}

// Runs the rotation function's steps and, after each, reads the secret through the caching client, as the
// application would during the rotation: the single-user strategy's window shows between setSecret and finishSecret.
sealed class Observed(ISecretRotationFunction inner, SecretsManagerCache cache, Func<string?, Task<string>> logsIn) : ISecretRotationFunction
{
    public async Task InvokeAsync(SecretRotationEvent rotationEvent, ISecretStore secrets, CancellationToken cancellationToken)
    {
        await inner.InvokeAsync(rotationEvent, secrets, cancellationToken);
        string? current = await cache.GetSecretStringAsync(rotationEvent.SecretId, cancellationToken);
        string? pending = (await secrets.GetSecretValueAsync(new GetSecretValueRequest { SecretId = rotationEvent.SecretId, VersionStage = "AWSPENDING" }, cancellationToken).ConfigureAwait(false)).SecretString;
        Console.WriteLine($"   after {rotationEvent.Step,-13} the cache gives the {(current == pending ? "new" : "old")} password, which {await logsIn(current)}");
    }
}
