// Vaultlib Parameter Store sample: the notes' walk through SSM Parameter Store — parameters under a
// path, versions and labels, a SecureString read with and without decryption, GetParametersByPath
// recursive, an expiration policy with its notification fired by a fake clock, change events, and an
// IOptionsMonitor that follows a change. Everything runs in memory; a fake clock stands in for days.
using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Vaultlib;
using Vaultlib.Parameters;

var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));
using var host = new VaultlibHost(timeProvider: clock);
host.Scheduler.Start();
ParameterStore ssm = host.Parameters;
var events = new BlockingCollection<ParameterStoreEvent>();
using IDisposable subscription = ssm.Subscribe(events.Add);

// 1. Configuration data as a hierarchy of paths, secrets as SecureStrings (encrypted by KMS under alias/aws/ssm).
await ssm.PutParameterAsync(new PutParameterRequest { Name = "/myapp/prod/Db/Host", Value = "db.prod.internal", Type = ParameterType.String });
await ssm.PutParameterAsync(new PutParameterRequest { Name = "/myapp/prod/Db/Password", Value = "correct-horse-battery-staple", Type = ParameterType.SecureString });
await ssm.PutParameterAsync(new PutParameterRequest { Name = "/myapp/prod/Features", Value = "search,export", Type = ParameterType.StringList });
await ssm.PutParameterAsync(new PutParameterRequest { Name = "/myapp/dev/Db/Host", Value = "localhost", Type = ParameterType.String });
Console.WriteLine("1. Put four parameters under /myapp");

// 2. A SecureString read without and with decryption: without it, the value is KMS ciphertext, as AWS returns it.
Parameter encrypted = (await ssm.GetParameterAsync(new GetParameterRequest { Name = "/myapp/prod/Db/Password" })).Parameter;
Parameter decrypted = (await ssm.GetParameterAsync(new GetParameterRequest { Name = "/myapp/prod/Db/Password", WithDecryption = true })).Parameter;
Console.WriteLine($"2. Without decryption: {encrypted.Value![..24]}… ({encrypted.Value.Length} base64 characters)");
Console.WriteLine($"   With decryption:    {(decrypted.Value == "correct-horse-battery-staple" ? "the password (not printed)" : "WRONG")}");

// 3. Versions and labels: every overwrite is a version; a label names one, and moves.
await ssm.PutParameterAsync(new PutParameterRequest { Name = "/myapp/prod/Db/Host", Value = "db2.prod.internal", Type = ParameterType.String, Overwrite = true });
await ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = "/myapp/prod/Db/Host", ParameterVersion = 1, Labels = ["previous"] });
Console.WriteLine($"3. Latest: {(await ssm.GetParameterAsync(new GetParameterRequest { Name = "/myapp/prod/Db/Host" })).Parameter.Value}, " +
    $"version 1: {(await ssm.GetParameterAsync(new GetParameterRequest { Name = "/myapp/prod/Db/Host:1" })).Parameter.Value}, " +
    $"label previous: {(await ssm.GetParameterAsync(new GetParameterRequest { Name = "/myapp/prod/Db/Host:previous" })).Parameter.Value}");

// 4. Everything under a path, recursively.
GetParametersByPathResponse tree = await ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = "/myapp", Recursive = true });
Console.WriteLine($"4. GetParametersByPath /myapp (recursive): {string.Join(", ", tree.Parameters.Select(p => p.Name))}");

// 5. IConfiguration over a path, reloaded by change events (no polling): IOptionsMonitor sees a put at once.
IConfigurationRoot configuration = new ConfigurationBuilder().AddVaultlibParameters(ssm, "/myapp/prod/").Build();
var services = new ServiceCollection();
services.Configure<DbSettings>(configuration.GetSection("Db"));
await using ServiceProvider provider = services.BuildServiceProvider();
IOptionsMonitor<DbSettings> monitor = provider.GetRequiredService<IOptionsMonitor<DbSettings>>();
Console.WriteLine($"5. Options: Db:Host = {monitor.CurrentValue.Host}; Features = {string.Join("|", configuration.GetSection("Features").Get<string[]>() ?? [])}");
var followed = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
using (monitor.OnChange(settings =>
{
    if (settings.Host == "db3.prod.internal")
    {
        followed.TrySetResult(settings.Host);
    }
}))
{
    await ssm.PutParameterAsync(new PutParameterRequest { Name = "/myapp/prod/Db/Host", Value = "db3.prod.internal", Type = ParameterType.String, Overwrite = true });
    Console.WriteLine($"   After a put, IOptionsMonitor sees Db:Host = {await followed.Task.WaitAsync(TimeSpan.FromSeconds(10))}");
}

// 6. An expiration policy (Advanced tier) with a notification a day before, fired by the scheduler as the clock moves.
await ssm.PutParameterAsync(new PutParameterRequest
{
    Name = "/myapp/prod/TempToken",
    Value = "valid-for-two-days",
    Type = ParameterType.SecureString,
    Tier = ParameterTier.Advanced,
    Policies = """[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"2026-12-01T09:00:00.000Z"}},{"Type":"ExpirationNotification","Version":"1.0","Attributes":{"Before":"1","Unit":"Days"}}]""",
});
clock.Advance(TimeSpan.FromDays(2));
await host.Scheduler.WhenIdleAsync();
try
{
    await ssm.GetParameterAsync(new GetParameterRequest { Name = "/myapp/prod/TempToken" });
    Console.WriteLine("6. The token is still there: WRONG");
}
catch (ParameterNotFoundException ex)
{
    Console.WriteLine($"6. Two days on, the token has expired: {ex.ErrorCode}");
}

// 7. The events, EventBridge-shaped, as every instance sharing the store sees them.
await Task.Delay(200);
Console.WriteLine("7. Events:");
while (events.TryTake(out ParameterStoreEvent? e))
{
    Console.WriteLine($"   {e.Time:MM-dd HH:mm} {e.DetailType,-29} {e.Detail.Operation ?? e.Detail.PolicyType,-21} {e.Detail.Name}");
}

((IDisposable)configuration.Providers.Single()).Dispose();

/// <summary>The database settings the sample binds.</summary>
internal sealed class DbSettings
{
    public string? Host { get; set; }

    public string? Password { get; set; }
}
