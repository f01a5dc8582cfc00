using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Vaultlib.Secrets;

namespace Vaultlib.PostgreSql;

/// <summary>
/// A ready rotation function for a PostgreSQL user's password, doing what AWS's single-user rotation function for
/// PostgreSQL does (<c>SecretsManagerRDSPostgreSQLRotationSingleUser</c>). The secret is a JSON object as AWS keeps
/// database credentials: <c>engine</c> (<c>postgres</c>), <c>host</c>, <c>port</c> (5432 when absent),
/// <c>username</c>, <c>password</c> and <c>dbname</c> (<c>postgres</c> when absent); other members are kept.
/// <list type="bullet">
/// <item><c>createSecret</c>: unless the AWSPENDING version already has a value, puts a copy of AWSCURRENT with a new
/// password from <c>GetRandomPassword</c> (excluding <see cref="ExcludeCharacters"/>).</item>
/// <item><c>setSecret</c>: if the pending password already logs in, does nothing; otherwise logs in as the user with
/// AWSCURRENT's password (AWSPREVIOUS's if that fails, as after a half-finished rotation) and changes its own
/// password. The statement carries a SCRAM-SHA-256 verifier computed here, never the password, so the server's
/// statement log cannot show it.</item>
/// <item><c>testSecret</c>: logs in with the pending credentials and runs a query.</item>
/// <item><c>finishSecret</c>: moves AWSCURRENT to the new version (AWSPREVIOUS follows).</item>
/// </list>
/// A pending value whose user, host, port or database differs from the current one is refused, as AWS's function
/// refuses it. Each step's failure is an exception the rotation records; the secret stays pending for a retry.
/// </summary>
public sealed class PostgreSqlPasswordRotation : SecretRotationFunction
{
    private const int ScramIterations = 4096;

    /// <summary>JSON as AWS's function writes it: characters escaped only where JSON needs it, not for HTML.</summary>
    private static readonly JsonSerializerOptions s_json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The characters new passwords leave out; AWS's function's default, which keeps connection strings and SQL literals simple.</summary>
    public string ExcludeCharacters { get; init; } = "/@\"'\\";

    /// <summary>The length of new passwords (AWS's default, 32).</summary>
    public int PasswordLength { get; init; } = 32;

    /// <summary>How long a login may take before the step fails.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc/>
    protected override async Task TestSecretAsync(SecretRotationEvent rotationEvent, ISecretStore secrets, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await ConnectAsync(await PendingAsync(rotationEvent, secrets, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("testSecret: the pending credentials do not log in.");
        await using var command = new NpgsqlCommand("SELECT now()", connection);
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override async Task CreateSecretAsync(SecretRotationEvent rotationEvent, ISecretStore secrets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rotationEvent);
        ArgumentNullException.ThrowIfNull(secrets);
        SecretRotationEvent e = rotationEvent;
        if (await PendingExistsAsync(e, secrets, cancellationToken).ConfigureAwait(false))
        {
            return; // already made (a retried rotation)
        }

        Credentials current = await ReadAsync(secrets, e.SecretId, null, "AWSCURRENT", cancellationToken).ConfigureAwait(false);
        string password = (await secrets.GetRandomPasswordAsync(new GetRandomPasswordRequest { PasswordLength = PasswordLength, ExcludeCharacters = ExcludeCharacters }, cancellationToken).ConfigureAwait(false)).RandomPassword;
        JsonObject pending = current.Json.DeepClone().AsObject();
        pending["password"] = password;
        await secrets.PutSecretValueAsync(new PutSecretValueRequest { SecretId = e.SecretId, ClientRequestToken = e.ClientRequestToken, SecretString = pending.ToJsonString(s_json), VersionStages = ["AWSPENDING"] }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override async Task SetSecretAsync(SecretRotationEvent rotationEvent, ISecretStore secrets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rotationEvent);
        ArgumentNullException.ThrowIfNull(secrets);
        SecretRotationEvent e = rotationEvent;
        Credentials pending = await PendingAsync(e, secrets, cancellationToken).ConfigureAwait(false);
        Credentials current = await ReadAsync(secrets, e.SecretId, null, "AWSCURRENT", cancellationToken).ConfigureAwait(false);
        if ((pending.Username, pending.Host, pending.Port, pending.Database) != (current.Username, current.Host, current.Port, current.Database))
        {
            throw new InvalidOperationException("setSecret: the pending secret names another user, host, port or database than the current one.");
        }

        await using (NpgsqlConnection? already = await ConnectAsync(pending, cancellationToken).ConfigureAwait(false))
        {
            if (already is not null)
            {
                return; // set by an earlier attempt
            }
        }

        NpgsqlConnection? connection = await ConnectAsync(current, cancellationToken).ConfigureAwait(false);
        if (connection is null)
        {
            Credentials? previous = await TryReadAsync(secrets, e.SecretId, "AWSPREVIOUS", cancellationToken).ConfigureAwait(false);
            connection = previous is null ? null : await ConnectAsync(previous with { Username = current.Username, Host = current.Host, Port = current.Port, Database = current.Database }, cancellationToken).ConfigureAwait(false);
        }

        await using (connection ?? throw new InvalidOperationException("setSecret: neither the current nor the previous password logs in."))
        {
            // Identifiers and the verifier are quoted by the server (format %I and %L); the password never leaves this process.
            await using var build = new NpgsqlCommand("SELECT format('ALTER USER %I WITH PASSWORD %L', $1::text, $2::text)", connection);
            build.Parameters.Add(new NpgsqlParameter { Value = pending.Username });
            build.Parameters.Add(new NpgsqlParameter { Value = ScramVerifier(pending.Password) });
            string statement = (string)(await build.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            await using var alter = new NpgsqlCommand(statement, connection);
            await alter.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static Task<Credentials> PendingAsync(SecretRotationEvent e, ISecretStore secrets, CancellationToken cancellationToken) =>
        ReadAsync(secrets, e.SecretId, e.ClientRequestToken, "AWSPENDING", cancellationToken);

    private static async Task<Credentials?> TryReadAsync(ISecretStore secrets, string secretId, string stage, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadAsync(secrets, secretId, null, stage, cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }
    }

    private static async Task<Credentials> ReadAsync(ISecretStore secrets, string secretId, string? versionId, string stage, CancellationToken cancellationToken)
    {
        GetSecretValueResponse value = await secrets.GetSecretValueAsync(new GetSecretValueRequest { SecretId = secretId, VersionId = versionId, VersionStage = stage }, cancellationToken).ConfigureAwait(false);
        return Credentials.Parse(value.SecretString ?? throw new InvalidOperationException($"The {stage} version is binary, not the JSON credentials a PostgreSQL rotation needs."), stage);
    }

    /// <summary>A connection logged in with <paramref name="credentials"/>, or null when the login is refused.</summary>
    private async Task<NpgsqlConnection?> ConnectAsync(Credentials credentials, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = credentials.Host,
            Port = credentials.Port,
            Username = credentials.Username,
            Password = credentials.Password,
            Database = credentials.Database,
            Timeout = Math.Max(1, (int)ConnectTimeout.TotalSeconds),
            Pooling = false,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The SCRAM-SHA-256 verifier PostgreSQL stores for <paramref name="password"/> (RFC 5803's form, as
    /// <c>pg_authid.rolpassword</c> holds it): <c>SCRAM-SHA-256$&lt;iterations&gt;:&lt;salt&gt;$&lt;StoredKey&gt;:&lt;ServerKey&gt;</c>.
    /// Passwords made here are printable ASCII, which SASLprep leaves as they are.
    /// </summary>
    internal static string ScramVerifier(string password, byte[]? salt = null)
    {
        salt ??= RandomNumberGenerator.GetBytes(16);
        byte[] passwordBytes = Encoding.UTF8.GetBytes(password);
        byte[] salted = Rfc2898DeriveBytes.Pbkdf2(passwordBytes, salt, ScramIterations, HashAlgorithmName.SHA256, 32);
        try
        {
            byte[] storedKey = SHA256.HashData(HMACSHA256.HashData(salted, "Client Key"u8));
            byte[] serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
            return $"SCRAM-SHA-256${ScramIterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordBytes);
            CryptographicOperations.ZeroMemory(salted);
        }
    }

    /// <summary>Database credentials as AWS keeps them in a secret; never formatted with the password.</summary>
    private sealed record Credentials(JsonObject Json, string Host, int Port, string Username, string Password, string Database)
    {
        public static Credentials Parse(string secretString, string stage)
        {
            JsonObject json;
            try
            {
                json = JsonNode.Parse(secretString) as JsonObject ?? throw new InvalidOperationException($"The {stage} value is not a JSON object.");
            }
            catch (JsonException)
            {
                throw new InvalidOperationException($"The {stage} value is not JSON.");
            }

            string Text(string member, string? fallback = null) =>
                json[member] is JsonValue v && v.TryGetValue(out string? s) && s.Length > 0 ? s
                : fallback ?? throw new InvalidOperationException($"The {stage} value has no '{member}'.");
            int port = json["port"] switch
            {
                null => 5432,
                JsonValue v when v.TryGetValue(out int n) => n,
                JsonValue v when v.TryGetValue(out string? s) && int.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out int n) => n,
                _ => throw new InvalidOperationException($"The {stage} value's 'port' is not a number."),
            };
            return new Credentials(json, Text("host"), port, Text("username"), Text("password"), Text("dbname", "postgres"));
        }

        public override string ToString() => $"Credentials({Username}@{Host}:{Port}/{Database})";
    }
}
