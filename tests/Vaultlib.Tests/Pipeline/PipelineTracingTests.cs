using System.Diagnostics;
using Vaultlib.Keys;
using Vaultlib.Parameters;
using Vaultlib.Secrets;
using Vaultlib.Storage;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Pipeline;

/// <summary>
/// The one request path's spans on the <c>Vaultlib</c> activity source: one per call, named and tagged as the AWS SDKs
/// name calls, with the work it causes (store commits, KMS called by SSM and Secrets Manager, rotation steps) nested
/// under it, the caller's ambient span left as it was, and no secret anywhere in what is recorded.
/// </summary>
[Collection(VaultlibMeterTests.Name)]
public sealed class PipelineTracingTests : IDisposable
{
    private const string FunctionArn = "arn:aws:lambda:us-east-1:111122223333:function:tracing-rotation";
    private readonly TelemetryRecorder _recorder = new();

    public void Dispose() => _recorder.Dispose();

    private static Activity Single(List<Activity> spans, string name) => Assert.Single(spans, s => s.DisplayName == name);

    [Fact]
    public async Task A_call_is_one_span_named_and_tagged_as_the_AWS_SDK_names_it_and_a_failure_carries_its_error_code()
    {
        using var kms = new InMemoryKeyService(new VaultlibOptions { Region = "eu-south-2" }, TestData.NewClock());
        KeyMetadata key = await kms.CreateKeyAsync("traced");
        using Activity root = TelemetryRecorder.StartRoot("test");
        await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[] { 1, 2, 3 } });
        await Assert.ThrowsAsync<NotFoundException>(() => kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/missing" }));
        root.Stop();

        List<Activity> spans = _recorder.SpansOf(root);
        Activity encrypt = Single(spans, "KMS.Encrypt");
        Assert.Equal(root.SpanId, encrypt.ParentSpanId);
        Assert.Equal(ActivityKind.Internal, encrypt.Kind);
        Assert.Equal(ActivityStatusCode.Unset, encrypt.Status);
        Assert.Equal("aws-api", encrypt.GetTagItem("rpc.system"));
        Assert.Equal("KMS", encrypt.GetTagItem("rpc.service"));
        Assert.Equal("Encrypt", encrypt.GetTagItem("rpc.method"));
        Assert.Equal("eu-south-2", encrypt.GetTagItem("cloud.region"));
        Assert.Null(encrypt.GetTagItem("error.type"));

        Activity describe = Single(spans, "KMS.DescribeKey");
        Assert.Equal(ActivityStatusCode.Error, describe.Status);
        Assert.Equal("NotFoundException", describe.StatusDescription);
        Assert.Equal("NotFoundException", describe.GetTagItem("error.type"));
    }

    [Fact]
    public async Task Every_services_calls_are_spans_and_measurements_with_their_operation_and_error_code()
    {
        using var host = new VaultlibHost(new VaultlibOptions { Region = "mx-central-1" }, TestData.NewClock());
        using Activity root = TelemetryRecorder.StartRoot("test");
        await host.Keys.ListKeysAsync(new ListKeysRequest());
        await host.Parameters.GetParametersByPathAsync(new GetParametersByPathRequest { Path = "/" });
        await host.Secrets.ListSecretsAsync(new ListSecretsRequest());
        await host.CertificateManager.ListCertificatesAsync(new Vaultlib.Certificates.Acm.ListCertificatesRequest());
        await host.CertificateAuthority.ListCertificateAuthoritiesAsync(new Vaultlib.Certificates.ListCertificateAuthoritiesRequest());
        await Assert.ThrowsAnyAsync<VaultlibException>(() => host.CertificateManager.DescribeCertificateAsync(new Vaultlib.Certificates.Acm.DescribeCertificateRequest { CertificateArn = "arn:aws:acm:mx-central-1:111122223333:certificate/12345678-1234-1234-1234-123456789012" }));
        await Assert.ThrowsAnyAsync<VaultlibException>(() => host.CertificateAuthority.DescribeCertificateAuthorityAsync(new Vaultlib.Certificates.DescribeCertificateAuthorityRequest { CertificateAuthorityArn = "arn:aws:acm-pca:mx-central-1:111122223333:certificate-authority/12345678-1234-1234-1234-123456789012" }));
        root.Stop();

        List<Activity> spans = _recorder.SpansOf(root);
        (string Span, string Service, string Method)[] expected =
        [
            ("KMS.ListKeys", "KMS", "ListKeys"),
            ("SSM.GetParametersByPath", "SSM", "GetParametersByPath"),
            ("Secrets Manager.ListSecrets", "Secrets Manager", "ListSecrets"),
            ("ACM.ListCertificates", "ACM", "ListCertificates"),
            ("ACM PCA.ListCertificateAuthorities", "ACM PCA", "ListCertificateAuthorities"),
        ];
        foreach ((string name, string service, string method) in expected)
        {
            Activity span = Single(spans, name);
            Assert.Equal((service, method, root.SpanId), ((string)span.GetTagItem("rpc.service")!, (string)span.GetTagItem("rpc.method")!, span.ParentSpanId));
            TelemetryRecorder.Measurement call = Assert.Single(_recorder.Of("vaultlib.operation.calls", t => Equals(t["cloud.region"], "mx-central-1") && Equals(t["rpc.method"], method)));
            Assert.Equal(service, call.Tags["rpc.service"]);
        }

        Assert.Equal("ResourceNotFoundException", Single(spans, "ACM.DescribeCertificate").GetTagItem("error.type"));
        Assert.Equal("ResourceNotFoundException", Single(spans, "ACM PCA.DescribeCertificateAuthority").GetTagItem("error.type"));
        Assert.Equal(
            ["ResourceNotFoundException", "ResourceNotFoundException"],
            _recorder.Of("vaultlib.operation.errors", t => Equals(t["cloud.region"], "mx-central-1")).Select(m => (string)m.Tags["error.type"]!));
    }

    [Fact]
    public async Task A_SecureString_put_shows_the_KMS_Encrypt_it_made_and_its_store_commit_under_it()
    {
        using var host = new VaultlibHost(timeProvider: TestData.NewClock());
        using Activity root = TelemetryRecorder.StartRoot("test");
        await host.Parameters.PutParameterAsync(new PutParameterRequest { Name = "/traced/password", Value = "hunter2-secret", Type = ParameterType.SecureString });
        root.Stop();

        List<Activity> spans = _recorder.SpansOf(root);
        Activity put = Single(spans, "SSM.PutParameter");
        Assert.Equal(root.SpanId, put.ParentSpanId);
        Assert.Equal("SSM", put.GetTagItem("rpc.service"));
        Activity encrypt = Single(spans, "KMS.Encrypt");
        Assert.Equal(put.SpanId, encrypt.ParentSpanId);
        // The parameter's commit (and, the first time, the commit that makes the AWS managed key alias/aws/ssm).
        Activity commit = Assert.Single(spans, s => s.DisplayName == "vaultlib.store.commit" && s.ParentSpanId == put.SpanId && ((string)s.GetTagItem("vaultlib.store.service")!).StartsWith("ssm/", StringComparison.Ordinal));
        Assert.InRange((int)commit.GetTagItem("vaultlib.store.writes")!, 1, 4);
        Assert.DoesNotContain("hunter2-secret", _recorder.Everything(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rotation_shows_each_step_under_RotateSecret_and_the_calls_the_function_made_under_its_step()
    {
        using var host = new VaultlibHost(timeProvider: TestData.NewClock());
        host.RotationFunctions.Register(FunctionArn, new RandomPasswordRotation { PasswordLength = 32 });
        await host.Secrets.CreateSecretAsync(new CreateSecretRequest { Name = "traced", SecretString = "the-old-password" });

        using Activity root = TelemetryRecorder.StartRoot("test");
        await host.Secrets.RotateSecretAsync(new RotateSecretRequest { SecretId = "traced", RotationLambdaARN = FunctionArn });
        root.Stop();
        string rotated = (await host.Secrets.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "traced" })).SecretString!;

        List<Activity> spans = _recorder.SpansOf(root);
        Activity rotate = Single(spans, "Secrets Manager.RotateSecret");
        string[] steps = ["createSecret", "setSecret", "testSecret", "finishSecret"];
        foreach (string step in steps)
        {
            Activity span = Single(spans, $"Secrets Manager rotation {step}");
            Assert.Equal(rotate.SpanId, span.ParentSpanId);
            Assert.Equal(step, span.GetTagItem("vaultlib.rotation.step"));
        }

        // The function's createSecret puts the new value: that call, and the KMS call under it, nest under the step.
        Activity create = Single(spans, "Secrets Manager rotation createSecret");
        Activity put = Single(spans, "Secrets Manager.PutSecretValue");
        Assert.Equal(create.SpanId, put.ParentSpanId);
        Assert.Contains(spans, s => s.DisplayName.StartsWith("KMS.", StringComparison.Ordinal) && s.ParentSpanId == put.SpanId);
        string everything = _recorder.Everything();
        Assert.DoesNotContain("the-old-password", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(rotated, everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_ambient_span_is_left_as_it_was_whether_a_call_completes_at_once_or_later()
    {
        using var temp = new TempDirectory();
        using VaultRootKey rootKey = VaultRootKey.FromBytes(TestData.RandomBytes(32));
        using Vault vault = Vault.OpenSqlite(temp.Combine("vault.db"), rootKey);
        using var kms = new VaultKeyService(vault, timeProvider: TestData.NewClock());
        using Activity root = TelemetryRecorder.StartRoot("test");

        // CreateKey commits to SQLite: the call may finish later; either way the caller's current span is its own.
        Task<CreateKeyResponse> creating = kms.CreateKeyAsync(new CreateKeyRequest());
        Assert.Same(root, Activity.Current);
        CreateKeyResponse created = await creating;
        Assert.Same(root, Activity.Current);

        Task<EncryptResponse> encrypting = kms.EncryptAsync(new EncryptRequest { KeyId = created.KeyMetadata.KeyId, Plaintext = new byte[] { 1 } });
        Assert.Same(root, Activity.Current);
        await encrypting;
        Assert.Same(root, Activity.Current);

        await Assert.ThrowsAsync<NotFoundException>(() => kms.EncryptAsync(new EncryptRequest { KeyId = "alias/none", Plaintext = new byte[] { 1 } }));
        Assert.Same(root, Activity.Current);
        root.Stop();

        List<Activity> spans = _recorder.SpansOf(root);
        Assert.All(spans.Where(s => s.DisplayName.StartsWith("KMS.", StringComparison.Ordinal)), s => Assert.Equal(root.SpanId, s.ParentSpanId));
        Assert.Equal(3, spans.Count(s => s.DisplayName.StartsWith("KMS.", StringComparison.Ordinal)));
    }
}
