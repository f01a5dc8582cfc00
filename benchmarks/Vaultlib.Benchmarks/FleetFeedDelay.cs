using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Vaultlib.Keys;
using Vaultlib.PostgreSql;
using Vaultlib.Storage;

namespace Vaultlib.Benchmarks;

/// <summary>
/// The change feed's delay with 8 processes sharing one PostgreSQL vault (issue 16). Every process opens the KMS keys
/// of the vault and writes to a key of its own at its own pace, while it follows the others' commits; each reports the
/// delays it saw on Vaultlib's own instrument, <c>vaultlib.store.change_feed.delay</c>: the age of each change when it
/// reached the process, on the PostgreSQL server's clock. <c>--fleet-delay [processes] [writes] [interval-ms]</c> runs the
/// coordinator, which starts the processes (this program with <c>--fleet-member</c>) and merges what they report.
/// </summary>
public static class FleetFeedDelay
{
    public static async Task RunAsync(int processes, int writes, int intervalMs)
    {
        string schema = "fleet_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        using (VaultRootKey rootKey = ScaleVaults.RootKey())
        using (Vault vault = Vault.Open(await PostgreSqlVaultStore.OpenAsync(ScaleVaults.Postgres, new PostgreSqlVaultStoreOptions { Schema = schema }), rootKey, ownsStore: true))
        using (var kms = new VaultKeyService(vault))
        {
            for (int i = 0; i < processes; i++)
            {
                await kms.CreateKeyAsync(new CreateKeyRequest { Description = $"member {i}" });
            }
        }

        string self = Environment.ProcessPath!;
        string assembly = typeof(FleetFeedDelay).Assembly.Location;
        var members = Enumerable.Range(0, processes).Select(i =>
        {
            var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                start.ArgumentList.Add(assembly);
            }

            foreach (string argument in new[] { "--fleet-member", schema, i.ToString(CultureInfo.InvariantCulture), writes.ToString(CultureInfo.InvariantCulture), intervalMs.ToString(CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(argument);
            }

            return Process.Start(start)!;
        }).ToList();

        var delays = new List<double>();
        foreach (Process member in members)
        {
            string output = await member.StandardOutput.ReadToEndAsync();
            await member.WaitForExitAsync();
            delays.AddRange(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => double.Parse(line, CultureInfo.InvariantCulture)));
        }

        delays.Sort();
        double At(double q) => delays[Math.Min(delays.Count - 1, (int)(q * delays.Count))] * 1000;
        Console.WriteLine($"{processes} processes, {writes} writes each {intervalMs} ms apart, {delays.Count} changes seen by others: median {At(0.5):F2} ms, p90 {At(0.9):F2} ms, p99 {At(0.99):F2} ms, max {delays[^1] * 1000:F2} ms");

        await using var connection = new Npgsql.NpgsqlConnection(ScaleVaults.Postgres);
        await connection.OpenAsync();
        await using var drop = new Npgsql.NpgsqlCommand($"DROP SCHEMA {schema} CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>One member: writes <paramref name="writes"/> description updates to its own key, <paramref name="intervalMs"/> apart, and prints every feed delay it observed, in seconds.</summary>
    public static async Task MemberAsync(string schema, int index, int writes, int intervalMs)
    {
        var seen = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == VaultlibTelemetry.MeterName && instrument.Name == "vaultlib.store.change_feed.delay")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
        {
            lock (seen)
            {
                seen.Add(value);
            }
        });
        listener.Start();

        using (VaultRootKey rootKey = ScaleVaults.RootKey())
        using (Vault vault = Vault.Open(await PostgreSqlVaultStore.OpenAsync(ScaleVaults.Postgres, new PostgreSqlVaultStoreOptions { Schema = schema }), rootKey, ownsStore: true))
        using (var kms = new VaultKeyService(vault))
        {
            string key = (await kms.ListKeysAsync(new ListKeysRequest())).Keys.Select(k => k.KeyId).Order(StringComparer.Ordinal).ElementAt(index);
            await Task.Delay(500); // every member listening before anyone writes
            for (int i = 0; i < writes; i++)
            {
                await kms.UpdateKeyDescriptionAsync(new UpdateKeyDescriptionRequest { KeyId = key, Description = $"member {index} write {i}" });
                await Task.Delay(intervalMs);
            }

            await Task.Delay(1000); // the others' last writes
        }

        lock (seen)
        {
            Console.Out.Write(string.Join('\n', seen.Select(s => s.ToString("R", CultureInfo.InvariantCulture))));
        }
    }
}
