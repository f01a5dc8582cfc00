using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using System.Collections.Concurrent;
using Vaultlib.Keys;
using Vaultlib.Parameters;
using Vaultlib.Storage;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Storage;

/// <summary>
/// Real processes sharing one durable vault: a writer killed with SIGKILL at random moments loses no
/// acknowledged write and the vault always opens; a key made in one process is usable in another
/// within the store's delay; eight processes racing for one alias name leave exactly one winner; a
/// rotation due while two instances run happens once; a lease passes on when its holder is killed;
/// Parameter Store's change events reach every process sharing the store. Subclassed once per durable store.
/// </summary>
public abstract class SharedVaultTests : IDisposable
{
    private readonly List<Process> _processes = [];

    protected byte[] RootKeyBytes { get; } = RandomNumberGenerator.GetBytes(32);

    /// <summary>The vault as the worker process names it: <c>sqlite:&lt;path&gt;</c> or <c>postgres:&lt;schema&gt;</c>.</summary>
    protected abstract string VaultSpec { get; }

    /// <summary>Opens the vault in this process.</summary>
    protected abstract Vault OpenVault();

    /// <summary>Every byte the store holds on disk or in its tables, for the plaintext scan.</summary>
    protected abstract Task<IReadOnlyList<byte[]>> DumpStoreAsync();

    public virtual void Dispose()
    {
        foreach (Process process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    private Process Start(string mode)
    {
        string worker = Path.Combine(AppContext.BaseDirectory, "Vaultlib.Tests.CrashWriter.dll");
        Assert.True(File.Exists(worker), $"the worker is built beside the tests: {worker}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(worker);
        start.ArgumentList.Add(mode);
        start.ArgumentList.Add(VaultSpec);
        start.ArgumentList.Add(Convert.ToBase64String(RootKeyBytes));
        Process process = Process.Start(start)!;
        _processes.Add(process);
        return process;
    }

    private async Task<Process> Serve()
    {
        Process process = Start("serve");
        Assert.Equal("READY", await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)));
        return process;
    }

    private static async Task<string> Ask(Process process, string command)
    {
        await process.StandardInput.WriteLineAsync(command);
        await process.StandardInput.FlushAsync();
        string? answer = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.NotNull(answer);
        return answer;
    }

    [SkippableFact]
    public async Task Instances_committing_at_once_to_one_service_never_take_each_others_manifest_for_tampering()
    {
        // Each instance reads the manifest's root and buckets separately (the root possibly from its cache): a commit of
        // another instance in between makes them disagree, which is a race to read again, not a tampered vault.
        Vault[] vaults = [OpenVault(), OpenVault(), OpenVault(), OpenVault()];
        KeyService[] services = [.. vaults.Select(v => new VaultKeyService(v))];
        try
        {
            // Twelve keys that every instance updates: their records share manifest buckets across instances.
            string[] keys = new string[12];
            for (int k = 0; k < keys.Length; k++)
            {
                keys[k] = (await services[k % services.Length].CreateKeyAsync($"key {k}")).KeyId;
            }

            await Task.WhenAll(services.Select((kms, i) => Task.Run(async () =>
            {
                for (int n = 0; n < 30; n++)
                {
                    for (int k = i; k < keys.Length; k += services.Length)
                    {
                        await kms.UpdateKeyDescriptionAsync(new UpdateKeyDescriptionRequest { KeyId = keys[(k + n) % keys.Length], Description = $"round {n}" });
                    }
                }
            })));

            using Vault check = OpenVault();
            using var reader = new VaultKeyService(check);
            foreach (string key in keys)
            {
                Assert.StartsWith("round ", (await reader.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key })).KeyMetadata.Description, StringComparison.Ordinal);
            }
        }
        finally
        {
            foreach (KeyService kms in services)
            {
                kms.Dispose();
            }

            foreach (Vault vault in vaults)
            {
                vault.Dispose();
            }
        }
    }

    [SkippableFact]
    public async Task A_writer_killed_at_random_moments_loses_no_acknowledged_write_and_the_vault_always_opens()
    {
        var acknowledged = new Dictionary<string, string>();
        var aliases = new Dictionary<string, string>();
        for (int round = 0; round < 25; round++)
        {
            Process process = Start("crash");
            int target = 2 + RandomNumberGenerator.GetInt32(15);
            int acks = 0;
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                string[] parts = line.Split(' ');
                if (parts[0] == "ALIAS")
                {
                    aliases[parts[1]] = parts[2];
                }
                else if (parts[0] == "ACK")
                {
                    acknowledged[parts[1]] = parts[2];
                    if (++acks == target)
                    {
                        process.Kill(entireProcessTree: true); // SIGKILL, in the middle of its next writes
                        break;
                    }
                }
            }

            await process.WaitForExitAsync();
            Assert.True(acks == target, $"round {round}: the writer stopped after {acks} writes: it must be killed, not finish");

            // The vault opens after every kill, with every acknowledged write in it.
            using Vault vault = OpenVault();
            using var reopened = new VaultKeyService(vault);
            Assert.True((await reopened.ListKeysAsync(new ListKeysRequest { Limit = 1000 })).Keys.Count >= acknowledged.Count);
        }

        using Vault final = OpenVault();
        using var kms = new VaultKeyService(final);
        foreach ((string keyId, string tag) in acknowledged)
        {
            Assert.Equal(KeyState.Enabled, (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId })).KeyMetadata.KeyState);
            if (tag != "none")
            {
                Assert.Equal(tag, Assert.Single((await kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = keyId })).Tags).TagValue);
            }
        }

        foreach ((string alias, string keyId) in aliases)
        {
            Assert.Equal(keyId, (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = alias })).KeyMetadata.KeyId);
        }
    }

    [SkippableFact]
    public async Task A_key_made_in_one_process_is_usable_in_another_within_the_delay_and_eight_racers_leave_one_alias()
    {
        Process one = await Serve(), two = await Serve();
        string keyId = (await Ask(one, "create-key"))[3..];

        var seen = Stopwatch.StartNew();
        string state;
        while ((state = await Ask(two, $"describe {keyId}")) != "OK Enabled")
        {
            Assert.True(seen.Elapsed < TimeSpan.FromSeconds(5), $"the other process did not see the key within 5 s ({state})");
            await Task.Delay(10);
        }

        Process[] racers = [one, two, .. await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Serve()))];
        string[] answers = await Task.WhenAll(racers.Select(r => Ask(r, $"create-alias alias/contested {keyId}")));
        Assert.Single(answers, a => a == "OK done");
        Assert.Equal(7, answers.Count(a => a == "ERR AlreadyExistsException"));
    }

    [SkippableFact]
    public async Task A_rotation_due_while_two_instances_run_happens_once_and_a_killed_lease_holder_s_lease_passes_on()
    {
        Process one = await Serve(), two = await Serve();
        string keyId = (await Ask(one, "create-key"))[3..];
        Assert.Equal("OK done", await Ask(one, $"enable-rotation {keyId} 90"));
        await Task.Delay(500); // both views have the rotation schedule

        string due = TestData.Epoch.AddDays(91).ToString("O");
        await Task.WhenAll(Ask(one, $"advance-to {due}"), Ask(two, $"advance-to {due}"));
        await Task.Delay(500);
        Assert.Equal("OK 1", await Ask(one, $"rotations {keyId}"));
        Assert.Equal("OK 1", await Ask(two, $"rotations {keyId}"));

        Assert.Equal("OK True", await Ask(one, "lease test-lease 30"));
        Assert.Equal("OK False", await Ask(two, "lease test-lease 30"));
        one.Kill(entireProcessTree: true);
        await one.WaitForExitAsync();
        Assert.Equal("OK False", await Ask(two, "lease test-lease 30")); // not until it expires
        await Ask(two, $"advance-to {TestData.Epoch.AddDays(91).AddSeconds(31):O}");
        Assert.Equal("OK True", await Ask(two, "lease test-lease 30"));
    }

    [SkippableFact]
    public async Task Parameter_Store_change_events_reach_the_other_processes_sharing_the_store_both_ways()
    {
        Process worker = await Serve();
        using Vault vault = OpenVault();
        using var kms = new VaultKeyService(vault, timeProvider: TestData.NewClock());
        using var ssm = new VaultParameterStore(vault, timeProvider: TestData.NewClock(), keys: kms);
        var here = new BlockingCollection<ParameterStoreEvent>();
        using IDisposable subscription = ssm.Subscribe(here.Add);

        // Made in the other process: this one hears of each change, through the store's change feed alone.
        Assert.Equal("OK 1", await Ask(worker, "ssm-put /fleet/db/host String db1.internal"));
        Assert.Equal("OK 2", await Ask(worker, "ssm-put /fleet/db/host String db2.internal"));
        Assert.Equal("OK done", await Ask(worker, "ssm-label /fleet/db/host live"));
        Assert.Equal(
            ["Parameter Store Change|Create|/fleet/db/host", "Parameter Store Change|Update|/fleet/db/host", "Parameter Store Change|LabelParameterVersion|/fleet/db/host"],
            Take(here, 3).Select(e => $"{e.DetailType}|{e.Detail.Operation}|{e.Detail.Name}"));
        Assert.Equal("db2.internal", (await ssm.GetParameterAsync(new GetParameterRequest { Name = "/fleet/db/host:live" })).Parameter.Value);

        // Made here: the other process hears of each change, and decrypts a SecureString put here with the shared KMS.
        await ssm.PutParameterAsync(new PutParameterRequest { Name = "/fleet/db/password", Value = "hunter2-fleet", Type = ParameterType.SecureString });
        await ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = "/fleet/db/host" });
        Assert.Equal(
            "OK " + string.Join(',', [
                "Parameter Store Change|Create|/fleet/db/host", "Parameter Store Change|Update|/fleet/db/host", "Parameter Store Change|LabelParameterVersion|/fleet/db/host",
                "Parameter Store Change|Create|/fleet/db/password", "Parameter Store Change|Delete|/fleet/db/host"]),
            await Ask(worker, "ssm-events 5"));
        Assert.Equal("OK hunter2-fleet", await Ask(worker, "ssm-get /fleet/db/password"));
        Assert.Equal(["Create|/fleet/db/password", "Delete|/fleet/db/host"], Take(here, 2).Select(e => $"{e.Detail.Operation}|{e.Detail.Name}"));
    }

    private static List<ParameterStoreEvent> Take(BlockingCollection<ParameterStoreEvent> events, int count)
    {
        var taken = new List<ParameterStoreEvent>();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (taken.Count < count && events.TryTake(out ParameterStoreEvent? e, Timeout.Infinite, patience.Token))
        {
            taken.Add(e);
        }

        return taken;
    }

    [SkippableFact]
    public async Task The_store_holds_no_plaintext_data_key_or_key_material()
    {
        var needles = new SecretNeedles();
        using (Vault vault = OpenVault())
        using (var kms = new VaultKeyService(vault))
        {
            KeyMetadata key = await kms.CreateKeyAsync("scan");
            await kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = key.KeyId });
            byte[] plaintext = Encoding.UTF8.GetBytes("the fleet's database password: hunter2-hunter2");
            needles.Add("plaintext", plaintext);
            await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = plaintext });
            GenerateDataKeyResponse dataKey = await kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key.KeyId, KeySpec = DataKeySpec.AES_256 });
            needles.Add("data key", dataKey.Plaintext.Span);
            KeyMetadata rsa = (await kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.RSA_2048, KeyUsage = KeyUsageType.SIGN_VERIFY })).KeyMetadata;
            KeyMetadata hmac = (await kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.HMAC_256 })).KeyMetadata;
            foreach (string id in new[] { key.KeyId, rsa.KeyId, hmac.KeyId })
            {
                foreach (byte[] material in kms.DangerousExportAllMaterialForTests(id))
                {
                    needles.Add($"material of {id}", material);
                }
            }
        }

        IReadOnlyList<byte[]> dump = await DumpStoreAsync();
        Assert.NotEmpty(dump);
        foreach (byte[] cell in dump)
        {
            Assert.Empty(needles.FoundIn(cell));
        }
    }
}

public sealed class SqliteSharedVaultTests : SharedVaultTests
{
    private readonly TempDirectory _temp = new();

    private string VaultPath => _temp.Combine("vault.db");

    protected override string VaultSpec => "sqlite:" + VaultPath;

    protected override Vault OpenVault()
    {
        using VaultRootKey rootKey = VaultRootKey.FromBytes(RootKeyBytes);
        return Vault.OpenSqlite(VaultPath, rootKey);
    }

    protected override async Task<IReadOnlyList<byte[]>> DumpStoreAsync()
    {
        var files = new List<byte[]>();
        foreach (string file in Directory.GetFiles(_temp.Path, "vault.db*"))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            byte[] content = new byte[stream.Length];
            await stream.ReadExactlyAsync(content);
            files.Add(content);
        }

        return files;
    }

    public override void Dispose()
    {
        base.Dispose();
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }
}

public sealed class PostgreSqlSharedVaultTests : SharedVaultTests
{
    private readonly string _schema = PostgreSqlServer.NewSchema();

    protected override string VaultSpec
    {
        get
        {
            PostgreSqlServer.Require();
            return "postgres:" + _schema;
        }
    }

    protected override Vault OpenVault()
    {
        PostgreSqlServer.Require();
        using VaultRootKey rootKey = VaultRootKey.FromBytes(RootKeyBytes);
        (Vaultlib.PostgreSql.PostgreSqlVaultStore store, _) = PostgreSqlServer.NewStoreAsync(schema: _schema).GetAwaiter().GetResult();
        return Vault.Open(store, rootKey, ownsStore: true);
    }

    protected override async Task<IReadOnlyList<byte[]>> DumpStoreAsync() => await PostgreSqlServer.DumpAsync(_schema);

    public override void Dispose()
    {
        base.Dispose();
        PostgreSqlServer.DropSchemaAsync(_schema).GetAwaiter().GetResult();
    }
}
