using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Vaultlib.Keys;
using Vaultlib.Parameters;
using Vaultlib.PostgreSql;
using Vaultlib.Storage;

namespace Vaultlib.Benchmarks;

/// <summary>
/// Vaults of a given number of KMS keys and of Advanced-tier parameters (issue 16's scale benchmarks), made once and
/// kept between runs: an SQLite file under the temporary directory, and a PostgreSQL schema copied record for record
/// from it (records are sealed to their address, not to their store, so a copy opens as the same vault). Parameters
/// are named <c>/scale/app{i % apps}/p{i:D6}</c> with one path per thousand parameters (at least one), so a path
/// holds a hundred parameters at 100 and a thousand at 100,000. The root key is a fixed benchmark-only value.
/// </summary>
public static class ScaleVaults
{
    private static readonly string s_directory = Path.Combine(Path.GetTempPath(), "vaultlib-scale");

    /// <summary>The benchmark-only root key (the vaults hold nothing secret).</summary>
    public static VaultRootKey RootKey() => VaultRootKey.FromBytes(Enumerable.Repeat((byte)0x5A, 32).ToArray());

    /// <summary>How many parameter paths a vault of <paramref name="records"/> parameters has.</summary>
    public static int Paths(int records) => Math.Max(1, records / 1000);

    /// <summary>The name of parameter <paramref name="i"/> of a vault of <paramref name="records"/>.</summary>
    public static string ParameterName(int records, int i) => $"/scale/app{i % Paths(records)}/p{i:D6}";

    /// <summary>The PostgreSQL server the benchmarks use (<c>VAULTLIB_TEST_POSTGRES</c>).</summary>
    public static string Postgres => Environment.GetEnvironmentVariable("VAULTLIB_TEST_POSTGRES") ?? throw new InvalidOperationException("Set VAULTLIB_TEST_POSTGRES to measure PostgreSQL.");

    /// <summary>The PostgreSQL schema of the vault of <paramref name="records"/>.</summary>
    public static string Schema(int records) => $"vaultlib_scale_{records}";

    /// <summary>The SQLite vault of <paramref name="records"/> keys and parameters, made if it is not there yet.</summary>
    public static string Sqlite(int records)
    {
        string path = Path.Combine(s_directory, $"scale-{records}.db");
        if (File.Exists(path + ".seeded"))
        {
            return path;
        }

        Directory.CreateDirectory(s_directory);
        foreach (string stale in Directory.GetFiles(s_directory, $"scale-{records}.db*"))
        {
            File.Delete(stale);
        }

        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var time = Stopwatch.StartNew();
        using (VaultRootKey rootKey = RootKey())
        using (Vault vault = Vault.OpenSqlite(path, rootKey, timeProvider: clock))
        using (var kms = new VaultKeyService(vault, timeProvider: clock))
        using (var ssm = new VaultParameterStore(vault, timeProvider: clock))
        {
            for (int i = 0; i < records; i++)
            {
                kms.CreateKeyAsync(new CreateKeyRequest { Description = $"scale key {i}" }).GetAwaiter().GetResult();
                Progress("keys", i, records, time);
            }

            for (int i = 0; i < records; i++)
            {
                // One second apart: the change events each put records expire after ten minutes, as they would in use.
                clock.Advance(TimeSpan.FromSeconds(1));
                ssm.PutParameterAsync(new PutParameterRequest { Name = ParameterName(records, i), Value = $"value-{i:D6}", Type = ParameterType.String, Tier = ParameterTier.Advanced }).GetAwaiter().GetResult();
                Progress("parameters", i, records, time);
            }
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.WriteAllText(path + ".seeded", $"{records} keys and parameters, seeded in {time.Elapsed}");
        return path;
    }

    /// <summary>The PostgreSQL vault of <paramref name="records"/>: a copy of the SQLite one, made if it is not there yet.</summary>
    public static async Task<string> PostgreSqlAsync(int records)
    {
        string schema = Schema(records);
        await using (var connection = new NpgsqlConnection(Postgres))
        {
            await connection.OpenAsync();
            await using var seeded = new NpgsqlCommand($"SELECT to_regclass('{schema}.seeded') IS NOT NULL", connection);
            if ((bool)(await seeded.ExecuteScalarAsync())!)
            {
                return schema;
            }

            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }

        string sqlite = Sqlite(records);
        await using (SqliteVaultStore from = SqliteVaultStore.Open(sqlite))
        await using (PostgreSqlVaultStore to = await PostgreSqlVaultStore.OpenAsync(Postgres, new PostgreSqlVaultStoreOptions { Schema = schema }))
        {
            foreach (string service in await from.ListServicesAsync())
            {
                StoreSnapshot snapshot = await from.ReadAllAsync(service);
                foreach (StoredRecord[] batch in snapshot.Records.Chunk(1000))
                {
                    await to.CommitAsync([.. batch.Select(r => RecordWrite.Put(r.Key, 0, r.Data))]);
                }
            }
        }

        await using (var connection = new NpgsqlConnection(Postgres))
        {
            await connection.OpenAsync();
            await using var mark = new NpgsqlCommand($"CREATE TABLE {schema}.seeded (records INTEGER NOT NULL); INSERT INTO {schema}.seeded VALUES ({records})", connection);
            await mark.ExecuteNonQueryAsync();
        }

        return schema;
    }

    /// <summary>Opens the vault of <paramref name="records"/> on <paramref name="store"/> (<c>sqlite</c> or <c>postgres</c>).</summary>
    public static Vault Open(string store, int records)
    {
        using VaultRootKey rootKey = RootKey();
        return store switch
        {
            "sqlite" => Vault.OpenSqlite(Sqlite(records), rootKey),
            "postgres" => Vault.Open(PostgreSqlVaultStore.OpenAsync(Postgres, new PostgreSqlVaultStoreOptions { Schema = PostgreSqlAsync(records).GetAwaiter().GetResult() }).GetAwaiter().GetResult(), rootKey, ownsStore: true),
            _ => throw new ArgumentOutOfRangeException(nameof(store), store, "sqlite or postgres"),
        };
    }

    private static void Progress(string what, int i, int records, Stopwatch time)
    {
        if ((i + 1) % 10_000 == 0)
        {
            Console.Error.WriteLine($"seeding {records}: {i + 1} {what} after {time.Elapsed.TotalSeconds:F0} s");
        }
    }
}
