using Vaultlib.Keys;
using Vaultlib.Parameters;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Pipeline;

/// <summary>
/// The one request path's metrics on the <c>Vaultlib</c> meter: calls and durations by service, operation and
/// Region, errors by AWS error code, and authorization denials; and no request content in any attribute.
/// </summary>
[Collection(VaultlibMeterTests.Name)]
public sealed class PipelineMetricsTests : IDisposable
{
    private const string Region = "il-central-1"; // no other test uses it, so the global listener sees only this test's calls
    private readonly TelemetryRecorder _recorder = new();

    public void Dispose() => _recorder.Dispose();

    private List<TelemetryRecorder.Measurement> Of(string instrument, string method) =>
        _recorder.Of(instrument, tags => Equals(tags.GetValueOrDefault("cloud.region"), Region) && Equals(tags.GetValueOrDefault("rpc.method"), method));

    [Fact]
    public async Task Calls_durations_errors_and_denials_are_counted_with_the_operation_and_error_code()
    {
        using var kms = new InMemoryKeyService(new VaultlibOptions { Region = Region }, TestData.NewClock());
        KeyMetadata key = await kms.CreateKeyAsync("metrics");
        await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = "top secret"u8.ToArray(), EncryptionContext = new Dictionary<string, string> { ["tenant"] = "hidden-tenant" } });
        await Assert.ThrowsAsync<NotFoundException>(() => kms.EncryptAsync(new EncryptRequest { KeyId = "alias/missing", Plaintext = new byte[1] }));
        KeyService stranger = kms.AsCaller(new Vaultlib.Authorization.CallerIdentity { Principal = "arn:aws:iam::111122223333:user/stranger" });
        await Assert.ThrowsAsync<Vaultlib.Keys.AccessDeniedException>(() => stranger.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId }));

        var encrypts = Of("vaultlib.operation.calls", "Encrypt");
        Assert.Equal(2, encrypts.Count);
        Assert.All(encrypts, m => Assert.Equal(("aws-api", "KMS"), ((string)m.Tags["rpc.system"]!, (string)m.Tags["rpc.service"]!)));
        Assert.Single(encrypts, m => !m.Tags.ContainsKey("error.type"));
        Assert.Equal("NotFoundException", Assert.Single(Of("vaultlib.operation.errors", "Encrypt")).Tags["error.type"]);
        Assert.Equal(2, Of("vaultlib.operation.duration", "Encrypt").Count);
        Assert.All(Of("vaultlib.operation.duration", "Encrypt"), m => Assert.True(m.Value >= 0));
        Assert.Equal("AccessDeniedException", Assert.Single(Of("vaultlib.authorization.denials", "DisableKey")).Tags["error.type"]);
        Assert.Empty(Of("vaultlib.authorization.denials", "Encrypt"));

        string everything = _recorder.Everything();
        Assert.DoesNotContain("top secret", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("hidden-tenant", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("stranger", everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_service_reports_through_the_same_instruments()
    {
        using var host = new VaultlibHost(options: new VaultlibOptions { Region = Region }, timeProvider: TestData.NewClock());
        await host.Parameters.PutParameterAsync(new PutParameterRequest { Name = "/metrics/p", Value = "v", Type = ParameterType.String });
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => host.Parameters.GetParameterAsync(new GetParameterRequest { Name = "/metrics/missing" }));

        Assert.Equal("SSM", Assert.Single(Of("vaultlib.operation.calls", "PutParameter")).Tags["rpc.service"]);
        Assert.Equal("ParameterNotFound", Assert.Single(Of("vaultlib.operation.errors", "GetParameter")).Tags["error.type"]);
    }
}
