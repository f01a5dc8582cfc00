using System.Security.Cryptography;
using Npgsql;
using Vaultlib.PostgreSql;

namespace Vaultlib.Tests.TestSupport;

/// <summary>
/// The real PostgreSQL server the fleet-store tests use: its connection string comes from
/// <c>VAULTLIB_TEST_POSTGRES</c>, which .ci/run sets after installing and starting Debian's
/// postgresql. Each test works in a schema of its own, dropped afterwards. Without a server the
/// tests say so and skip; under CI they fail.
/// </summary>
public static class PostgreSqlServer
{
    public static string? ConnectionString => Environment.GetEnvironmentVariable("VAULTLIB_TEST_POSTGRES");

    public static void Require() => RequiredPart.Require(
        !string.IsNullOrEmpty(ConnectionString),
        "A PostgreSQL server (VAULTLIB_TEST_POSTGRES)",
        "Install and start one (Debian: apt-get install postgresql), create a role and a database, and set VAULTLIB_TEST_POSTGRES=\"Host=127.0.0.1;Username=…;Password=…;Database=…\"; .ci/run does all of this.");

    public static string NewSchema() => "t_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public static async Task<(PostgreSqlVaultStore Store, string Schema)> NewStoreAsync(TimeProvider? time = null, string? schema = null)
    {
        Require();
        schema ??= NewSchema();
        PostgreSqlVaultStore store = await PostgreSqlVaultStore.OpenAsync(ConnectionString!, new PostgreSqlVaultStoreOptions { Schema = schema, PollInterval = TimeSpan.FromMilliseconds(200) }, time);
        return (store, schema);
    }

    public static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<List<byte[]>> DumpAsync(string schema)
    {
        var cells = new List<byte[]>();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        foreach (string table in new[] { "records", "changes", "feed", "leases", "schema_version" })
        {
            await using var command = new NpgsqlCommand($"SELECT * FROM {schema}.{table}", connection);
            await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (int i = 0; i < reader.FieldCount; i++)
                {
                    cells.Add(reader.IsDBNull(i) ? [] : reader.GetValue(i) switch
                    {
                        byte[] bytes => bytes,
                        object value => System.Text.Encoding.UTF8.GetBytes(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!),
                    });
                }
            }
        }

        return cells;
    }

    public static async Task DropSchemaAsync(string schema)
    {
        if (!string.IsNullOrEmpty(ConnectionString))
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE");
        }
    }
}
