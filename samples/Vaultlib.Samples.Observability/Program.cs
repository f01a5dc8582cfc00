// Vaultlib observability sample: the OpenTelemetry .NET SDK's console exporter wired to Vaultlib's meter and
// activity source (both named "Vaultlib"), then three things an operator wants to see: a SecureString put (the SSM
// call, the KMS Encrypt it makes and the store commits under it), a secret rotated on its schedule (a scheduled run
// with each rotation step under it), and a call that authorization refuses (an error span and a denial count).
// A fake clock stands in for the days until the rotation falls due. No value or secret is printed: Vaultlib puts
// none in any span or metric.
using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Vaultlib;
using Vaultlib.Authorization;
using Vaultlib.Keys;
using Vaultlib.Parameters;
using Vaultlib.Secrets;

const string FunctionArn = "arn:aws:lambda:us-east-1:111122223333:function:rotate-password";
ResourceBuilder resource = ResourceBuilder.CreateDefault().AddService("vaultlib-observability-sample");
using TracerProvider tracing = Sdk.CreateTracerProviderBuilder()
    .SetResourceBuilder(resource)
    .AddSource(VaultlibTelemetry.ActivitySourceName)
    .AddConsoleExporter()
    .Build();
using MeterProvider metrics = Sdk.CreateMeterProviderBuilder()
    .SetResourceBuilder(resource)
    .AddMeter(VaultlibTelemetry.MeterName)
    .AddConsoleExporter()
    .Build();

var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));
using var host = new VaultlibHost(timeProvider: clock);
host.RotationFunctions.Register(FunctionArn, new RandomPasswordRotation { PasswordLength = 32 });
host.Scheduler.Start();

// 1. A SecureString put: SSM.PutParameter, with KMS.Encrypt and the store's commits under it.
Console.WriteLine("== 1. PutParameter (SecureString)");
await host.Parameters.PutParameterAsync(new PutParameterRequest { Name = "/prod/app/api-key", Value = "not-printed-anywhere", Type = ParameterType.SecureString });

// 2. A secret rotated on its schedule: a vaultlib.scheduler.run trace, each rotation step under it.
Console.WriteLine("== 2. A secret's scheduled rotation");
await host.Secrets.CreateSecretAsync(new CreateSecretRequest { Name = "prod/app/db-password", SecretString = "initial-password" });
await host.Secrets.RotateSecretAsync(new RotateSecretRequest
{
    SecretId = "prod/app/db-password",
    RotationLambdaARN = FunctionArn,
    RotationRules = new RotationRulesType { AutomaticallyAfterDays = 30 },
    RotateImmediately = false,
});
clock.Advance(TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1));
await host.Scheduler.WhenIdleAsync();
DescribeSecretResponse rotated = await host.Secrets.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "prod/app/db-password" });
Console.WriteLine($"   Last rotated {rotated.LastRotatedDate:u}; the value is not printed.");

// 3. A denied call: a principal no policy allows, refused with AccessDeniedException.
Console.WriteLine("== 3. A call authorization refuses");
KeyMetadata key = await host.Keys.CreateKeyAsync("observed");
KeyService stranger = host.Keys.AsCaller(new CallerIdentity { Principal = "arn:aws:iam::111122223333:user/stranger" });
try
{
    await stranger.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId });
    throw new InvalidOperationException("The stranger's call should have been refused.");
}
catch (Vaultlib.Keys.AccessDeniedException denied)
{
    Console.WriteLine($"   Refused: {denied.ErrorCode}");
}

// Export now rather than at the next interval: the console shows every span above, then the metrics.
tracing.ForceFlush();
metrics.ForceFlush();
if (Activity.Current is not null)
{
    throw new InvalidOperationException("Vaultlib left a span current.");
}

return 0;
