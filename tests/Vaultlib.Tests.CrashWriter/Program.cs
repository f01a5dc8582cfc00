// A second process for the tests that need one: Vaultlib over a vault that another process shares.
//   crash <vault> <root key, base64>   writes as fast as it can and prints "ACK <keyId> <tag>" after
//                                       each write returns, so a test can kill it at any instant.
//   serve <vault> <root key, base64>   answers one command per line of standard input (see Serve), with
//                                       KMS and Parameter Store over the vault.
// <vault> is sqlite:<path> or postgres:<schema> (the server from VAULTLIB_TEST_POSTGRES).
using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Vaultlib;
using Vaultlib.Keys;
using Vaultlib.Parameters;
using Tag = Vaultlib.Keys.Tag;
using Vaultlib.PostgreSql;
using Vaultlib.Scheduling;
using Vaultlib.Storage;

var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
using var rootKey = VaultRootKey.FromBytes(Convert.FromBase64String(args[2]));
using Vault vault = await OpenVault(args[1], rootKey, clock);
using var kms = new VaultKeyService(vault, timeProvider: clock);
if (args[0] == "crash")
{
    await Crash(kms);
}
else
{
    using var ssm = new VaultParameterStore(vault, timeProvider: clock, keys: kms);
    using VaultlibScheduler scheduler = new VaultlibScheduler(clock).Add(kms.ScheduledWork).Add(ssm.ScheduledWork).Start();
    await Serve(kms, ssm, vault, clock, scheduler);
}

static async Task<Vault> OpenVault(string spec, VaultRootKey rootKey, TimeProvider clock)
{
    if (spec.StartsWith("sqlite:", StringComparison.Ordinal))
    {
        return Vault.OpenSqlite(spec["sqlite:".Length..], rootKey, timeProvider: clock);
    }

    PostgreSqlVaultStore store = await PostgreSqlVaultStore.OpenAsync(
        Environment.GetEnvironmentVariable("VAULTLIB_TEST_POSTGRES")!,
        new PostgreSqlVaultStoreOptions { Schema = spec["postgres:".Length..], PollInterval = TimeSpan.FromMilliseconds(200) },
        clock);
    return Vault.Open(store, rootKey, ownsStore: true);
}

static async Task Crash(KeyService kms)
{
    Console.WriteLine("READY");
    for (int i = 0; ; i++)
    {
        KeyMetadata key = await kms.CreateKeyAsync($"crash-{i}");
        Console.WriteLine($"ACK {key.KeyId} none");
        await kms.TagResourceAsync(new TagResourceRequest { KeyId = key.KeyId, Tags = [new Tag { TagKey = "n", TagValue = i.ToString(CultureInfo.InvariantCulture) }] });
        Console.WriteLine($"ACK {key.KeyId} {i}");
        await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = $"alias/crash-{key.KeyId}", TargetKeyId = key.KeyId });
        Console.WriteLine($"ALIAS alias/crash-{key.KeyId} {key.KeyId}");
    }
}

// create-key | describe <id> | create-alias <name> <id> | enable-rotation <id> <days> | rotations <id>
// | advance-to <ISO 8601> (moves this process's clock and waits for due work) | lease <name> <seconds>
// | ssm-put <name> <String|SecureString> <value> (answers the version) | ssm-get <name> (decrypted)
// | ssm-label <name> <label> | ssm-delete <name>
// | ssm-events <n> (waits up to 30 s for n Parameter Store events received since the last ssm-events, and answers
//   them as <detail-type>|<operation>|<name>, comma-separated) | quit
static async Task Serve(KeyService kms, ParameterStore ssm, Vault vault, FakeTimeProvider clock, VaultlibScheduler scheduler)
{
    string holder = $"worker-{Environment.ProcessId}";
    var events = new BlockingCollection<ParameterStoreEvent>();
    using IDisposable subscription = ssm.Subscribe(events.Add);
    Console.WriteLine("READY");
    while (Console.ReadLine() is { } line)
    {
        string[] words = line.Split(' ');
        try
        {
            string answer = words[0] switch
            {
                "create-key" => (await kms.CreateKeyAsync("shared")).KeyId,
                "describe" => (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = words[1] })).KeyMetadata.KeyState.ToString(),
                "create-alias" => await Done(kms.CreateAliasAsync(new CreateAliasRequest { AliasName = words[1], TargetKeyId = words[2] })),
                "enable-rotation" => await Done(kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = words[1], RotationPeriodInDays = int.Parse(words[2], CultureInfo.InvariantCulture) })),
                "rotations" => (await kms.ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = words[1] })).Rotations.Count.ToString(CultureInfo.InvariantCulture),
                "advance-to" => await AdvanceTo(clock, scheduler, DateTimeOffset.Parse(words[1], CultureInfo.InvariantCulture)),
                "lease" => (await vault.Store.TryAcquireLeaseAsync(words[1], holder, TimeSpan.FromSeconds(int.Parse(words[2], CultureInfo.InvariantCulture)))).ToString(),
                "ssm-put" => (await ssm.PutParameterAsync(new PutParameterRequest { Name = words[1], Type = Enum.Parse<ParameterType>(words[2]), Value = words[3], Overwrite = true })).Version.ToString(CultureInfo.InvariantCulture),
                "ssm-get" => (await ssm.GetParameterAsync(new GetParameterRequest { Name = words[1], WithDecryption = true })).Parameter.Value ?? "(none)",
                "ssm-label" => await Done(ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = words[1], Labels = [words[2]] })),
                "ssm-delete" => await Done(ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = words[1] })),
                "ssm-events" => string.Join(',', Take(events, int.Parse(words[1], CultureInfo.InvariantCulture)).Select(e => $"{e.DetailType}|{e.Detail.Operation}|{e.Detail.Name}")),
                "quit" => "bye",
                _ => throw new InvalidOperationException($"unknown command {words[0]}"),
            };
            Console.WriteLine($"OK {answer}");
            if (words[0] == "quit")
            {
                return;
            }
        }
        catch (VaultlibException ex)
        {
            Console.WriteLine($"ERR {ex.ErrorCode}");
        }
    }
}

static List<ParameterStoreEvent> Take(BlockingCollection<ParameterStoreEvent> events, int count)
{
    var taken = new List<ParameterStoreEvent>();
    using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
    try
    {
        while (taken.Count < count)
        {
            taken.Add(events.Take(patience.Token));
        }
    }
    catch (OperationCanceledException)
    {
        // Answer what came: the test sees how many are missing.
    }

    return taken;
}

static async Task<string> Done(Task task)
{
    await task;
    return "done";
}

static async Task<string> AdvanceTo(FakeTimeProvider clock, VaultlibScheduler scheduler, DateTimeOffset at)
{
    clock.SetUtcNow(at);
    await scheduler.WhenIdleAsync();
    return "done";
}
