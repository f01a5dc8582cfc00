using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Keys;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Audit;

public sealed class AuditTrailTests
{
    private readonly InMemoryAuditSink _audit = new();
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = TestData.NewClock();

    private InMemoryKeyService NewKms() => new(timeProvider: _clock, auditSink: _audit);

    /// <summary>A sink that refuses every record, as a full disk would.</summary>
    private sealed class FailingSink : IAuditSink
    {
        public void Write(AuditEvent auditEvent) => throw new IOException("disk full");
    }

    [Fact]
    public async Task A_failing_sink_is_logged_by_event_source_and_name_and_fails_neither_calls_nor_scheduled_work()
    {
        using var logs = new CapturingLoggerProvider();
        using var kms = new InMemoryKeyService(timeProvider: _clock, loggerFactory: logs, auditSink: new FailingSink());
        KeyMetadata key = await kms.CreateKeyAsync("audited");
        await kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId, RotationPeriodInDays = 90 });
        _clock.Advance(TimeSpan.FromDays(90));
        await kms.ScheduledWork.RunDueAsync(default);

        string[] failures = [.. logs.Lines.Where(l => l.StartsWith("Error Vaultlib.Keys.KeyService [1300]", StringComparison.Ordinal))];
        Assert.Equal(3, failures.Length);
        Assert.Contains("failed to record kms.amazonaws.com CreateKey (IOException)", failures[0], StringComparison.Ordinal);
        Assert.Contains("failed to record kms.amazonaws.com EnableKeyRotation (IOException)", failures[1], StringComparison.Ordinal);
        Assert.Contains("failed to record kms.amazonaws.com RotateKey (IOException)", failures[2], StringComparison.Ordinal);
        Assert.DoesNotContain(failures, l => l.Contains("disk full", StringComparison.Ordinal));
        Assert.Single((await kms.ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = key.KeyId })).Rotations); // the rotation itself happened
    }

    [Fact]
    public async Task Every_call_succeeding_or_failing_becomes_a_CloudTrail_shaped_record()
    {
        using InMemoryKeyService kms = NewKms();
        KeyMetadata key = await kms.CreateKeyAsync("audited");
        await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[] { 1, 2, 3 }, EncryptionContext = TestData.Context(("tenant", "acme")) });
        await Assert.ThrowsAsync<NotFoundException>(() => kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/missing" }));
        await kms.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId });
        await Assert.ThrowsAsync<DisabledException>(() => kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[] { 1 } }));

        Assert.Equal(["CreateKey", "Encrypt", "DescribeKey", "DisableKey", "Encrypt"], _audit.Events.Select(e => e.EventName));
        AuditEvent encrypt = _audit.Events[1];
        Assert.Equal("kms.amazonaws.com", encrypt.EventSource);
        Assert.Equal("us-east-1", encrypt.AwsRegion);
        Assert.Equal(TestData.Epoch, encrypt.EventTime);
        Assert.True(encrypt.ReadOnly);
        Assert.Null(encrypt.ErrorCode);
        Assert.Equal("Root", encrypt.UserIdentity.Type);
        Assert.Equal("arn:aws:iam::111122223333:root", encrypt.UserIdentity.Arn);
        AuditResource resource = Assert.Single(encrypt.Resources);
        Assert.Equal(key.Arn, resource.ARN);
        Assert.Equal("AWS::KMS::Key", resource.Type);
        Assert.Equal(key.KeyId, encrypt.RequestParameters!["keyId"]!.GetValue<string>());
        Assert.Equal("acme", encrypt.RequestParameters["encryptionContext"]!["tenant"]!.GetValue<string>());
        Assert.Equal(AuditEvent.Hidden, encrypt.RequestParameters["plaintext"]!.GetValue<string>());
        Assert.Equal(AuditEvent.Hidden, encrypt.ResponseElements!["ciphertextBlob"]!.GetValue<string>());
        Assert.NotEqual(encrypt.EventID, _audit.Events[0].EventID);

        AuditEvent failed = _audit.Events[4];
        Assert.Equal("DisabledException", failed.ErrorCode);
        Assert.Contains(key.Arn, failed.ErrorMessage, StringComparison.Ordinal);
        Assert.Null(failed.ResponseElements);
        Assert.False(_audit.Events[3].ReadOnly);
        Assert.Equal("NotFoundException", _audit.Events[2].ErrorCode);

        using JsonDocument json = JsonDocument.Parse(encrypt.ToJson());
        foreach (string member in new[] { "eventVersion", "eventTime", "eventSource", "eventName", "awsRegion", "userIdentity", "requestParameters", "responseElements", "resources", "requestID", "eventID", "readOnly", "recipientAccountId" })
        {
            Assert.True(json.RootElement.TryGetProperty(member, out _), member);
        }

        Assert.Equal("2026-01-01T00:00:00Z", json.RootElement.GetProperty("eventTime").GetString());
    }

    [Fact]
    public async Task Every_key_operation_is_recorded_when_it_succeeds_and_when_it_fails()
    {
        using InMemoryKeyService kms = NewKms();
        KeyMetadata key = await kms.CreateKeyAsync("every");
        KeyMetadata signer = (await kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.ECC_NIST_P256 })).KeyMetadata;
        KeyMetadata hmac = (await kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.HMAC_256 })).KeyMetadata;
        byte[] blob = (await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[] { 1 } })).CiphertextBlob.ToArray();
        byte[] signature = (await kms.SignAsync(new SignRequest { KeyId = signer.KeyId, Message = new byte[] { 1 }, SigningAlgorithm = SigningAlgorithmSpec.ECDSA_SHA_256 })).Signature.ToArray();
        byte[] mac = (await kms.GenerateMacAsync(new GenerateMacRequest { KeyId = hmac.KeyId, Message = new byte[] { 1 }, MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_256 })).Mac.ToArray();
        string grantId = (await kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key.KeyId, GranteePrincipal = "arn:aws:iam::111122223333:role/x", Operations = [GrantOperation.Encrypt] })).GrantId;
        const string missing = "alias/missing";
        var calls = new (string Name, Func<string, Task> Call)[]
        {
            ("DescribeKey", id => kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = id })),
            ("UpdateKeyDescription", id => kms.UpdateKeyDescriptionAsync(new UpdateKeyDescriptionRequest { KeyId = id, Description = "d" })),
            ("TagResource", id => kms.TagResourceAsync(new TagResourceRequest { KeyId = id, Tags = [new Tag { TagKey = "k", TagValue = "v" }] })),
            ("ListResourceTags", id => kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = id })),
            ("UntagResource", id => kms.UntagResourceAsync(new UntagResourceRequest { KeyId = id, TagKeys = ["k"] })),
            ("Encrypt", id => kms.EncryptAsync(new EncryptRequest { KeyId = id, Plaintext = new byte[] { 1 } })),
            ("Decrypt", id => kms.DecryptAsync(new DecryptRequest { CiphertextBlob = blob, KeyId = id })),
            ("ReEncrypt", id => kms.ReEncryptAsync(new ReEncryptRequest { CiphertextBlob = blob, DestinationKeyId = id })),
            ("GenerateDataKey", id => kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = id, KeySpec = DataKeySpec.AES_256 })),
            ("GenerateDataKeyWithoutPlaintext", id => kms.GenerateDataKeyWithoutPlaintextAsync(new GenerateDataKeyWithoutPlaintextRequest { KeyId = id, KeySpec = DataKeySpec.AES_256 })),
            ("GenerateDataKeyPair", id => kms.GenerateDataKeyPairAsync(new GenerateDataKeyPairRequest { KeyId = id, KeyPairSpec = DataKeyPairSpec.ECC_NIST_P256 })),
            ("EnableKeyRotation", id => kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = id })),
            ("GetKeyRotationStatus", id => kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = id })),
            ("RotateKeyOnDemand", id => kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = id })),
            ("ListKeyRotations", id => kms.ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = id })),
            ("DisableKeyRotation", id => kms.DisableKeyRotationAsync(new DisableKeyRotationRequest { KeyId = id })),
            ("GetKeyPolicy", id => kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = id })),
            ("ListKeyPolicies", id => kms.ListKeyPoliciesAsync(new ListKeyPoliciesRequest { KeyId = id })),
            ("ListGrants", id => kms.ListGrantsAsync(new ListGrantsRequest { KeyId = id })),
            ("RevokeGrant", id => kms.RevokeGrantAsync(new RevokeGrantRequest { KeyId = id, GrantId = grantId })),
            ("DisableKey", id => kms.DisableKeyAsync(new DisableKeyRequest { KeyId = id })),
            ("EnableKey", id => kms.EnableKeyAsync(new EnableKeyRequest { KeyId = id })),
            ("ScheduleKeyDeletion", id => kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = id })),
            ("CancelKeyDeletion", id => kms.CancelKeyDeletionAsync(new CancelKeyDeletionRequest { KeyId = id })),
        };
        var asymmetric = new (string Name, Func<string, Task> Call, string KeyId)[]
        {
            ("Sign", id => kms.SignAsync(new SignRequest { KeyId = id, Message = new byte[] { 1 }, SigningAlgorithm = SigningAlgorithmSpec.ECDSA_SHA_256 }), signer.KeyId),
            ("Verify", id => kms.VerifyAsync(new VerifyRequest { KeyId = id, Message = new byte[] { 1 }, Signature = signature, SigningAlgorithm = SigningAlgorithmSpec.ECDSA_SHA_256 }), signer.KeyId),
            ("GetPublicKey", id => kms.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = id }), signer.KeyId),
            ("GenerateMac", id => kms.GenerateMacAsync(new GenerateMacRequest { KeyId = id, Message = new byte[] { 1 }, MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_256 }), hmac.KeyId),
            ("VerifyMac", id => kms.VerifyMacAsync(new VerifyMacRequest { KeyId = id, Message = new byte[] { 1 }, Mac = mac, MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_256 }), hmac.KeyId),
        };

        foreach ((string name, Func<string, Task> call, string keyId) in calls.Select(c => (c.Name, c.Call, key.KeyId)).Concat(asymmetric))
        {
            await call(keyId);
            AuditEvent ok = _audit.Events[^1];
            Assert.Equal((name, (string?)null), (ok.EventName, ok.ErrorCode));
            Assert.Contains(ok.Resources, r => r.ARN.EndsWith(keyId, StringComparison.Ordinal));

            await Assert.ThrowsAsync<NotFoundException>(() => call(missing));
            AuditEvent failed = _audit.Events[^1];
            Assert.Equal((name, "NotFoundException"), (failed.EventName, failed.ErrorCode));
        }
    }

    [Fact]
    public async Task The_events_of_one_key_between_two_times_can_be_queried()
    {
        using InMemoryKeyService kms = NewKms();
        KeyMetadata a = await kms.CreateKeyAsync("a");
        KeyMetadata b = await kms.CreateKeyAsync("b");
        _clock.Advance(TimeSpan.FromHours(1));
        await kms.EncryptAsync(new EncryptRequest { KeyId = a.KeyId, Plaintext = new byte[] { 1 } });
        await kms.EncryptAsync(new EncryptRequest { KeyId = b.KeyId, Plaintext = new byte[] { 1 } });
        _clock.Advance(TimeSpan.FromHours(1));
        await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = (await kms.EncryptAsync(new EncryptRequest { KeyId = a.KeyId, Plaintext = new byte[] { 1 } })).CiphertextBlob });

        IReadOnlyList<AuditEvent> usage = _audit.Query(a.Arn, TestData.Epoch.AddMinutes(30), TestData.Epoch.AddMinutes(90));
        Assert.Equal(["Encrypt"], usage.Select(e => e.EventName));
        Assert.Equal(3, _audit.Query(a.Arn).Count); // CreateKey is an account-level call
        Assert.Empty(_audit.Query(a.Arn, to: TestData.Epoch.AddMinutes(30)));
        Assert.Single(_audit.Query(a.Arn, eventName: "Decrypt"));
    }

    [Fact]
    public async Task The_caller_is_the_ambient_identity()
    {
        using InMemoryKeyService kms = NewKms();
        kms.IdentityPolicies.Set("arn:aws:iam::111122223333:role/app", """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"kms:GenerateRandom","Resource":"*"}}""");
        using (VaultlibCaller.Use(new CallerIdentity { Principal = "arn:aws:iam::111122223333:role/app", SourceIp = "203.0.113.7" }))
        {
            await kms.GenerateRandomAsync(new GenerateRandomRequest { NumberOfBytes = 16 });
        }

        await kms.GenerateRandomAsync(new GenerateRandomRequest { NumberOfBytes = 16 });
        Assert.Equal("AssumedRole", _audit.Events[0].UserIdentity.Type);
        Assert.Equal("arn:aws:iam::111122223333:role/app", _audit.Events[0].UserIdentity.Arn);
        Assert.Equal("203.0.113.7", _audit.Events[0].SourceIPAddress);
        Assert.Equal("Root", _audit.Events[1].UserIdentity.Type);
        Assert.Empty(_audit.Events[0].Resources);
    }

    [Fact]
    public async Task Known_secrets_fed_through_every_operation_appear_in_no_audit_record()
    {
        using InMemoryKeyService kms = NewKms();
        var needles = new SecretNeedles();
        byte[] secret = Encoding.UTF8.GetBytes("top secret payload for the audit trail test");
        needles.Add("plaintext", secret);
        KeyMetadata key = await kms.CreateKeyAsync("k");
        KeyMetadata other = await kms.CreateKeyAsync("other");
        KeyMetadata hmac = (await kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.HMAC_256 })).KeyMetadata;
        KeyMetadata signer = (await kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.ECC_NIST_P256 })).KeyMetadata;
        KeyMetadata rsa = (await kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.RSA_2048 })).KeyMetadata;

        EncryptResponse encrypted = await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = secret });
        needles.Add("ciphertext", encrypted.CiphertextBlob.Span);
        await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = encrypted.CiphertextBlob });
        await kms.ReEncryptAsync(new ReEncryptRequest { CiphertextBlob = encrypted.CiphertextBlob, DestinationKeyId = other.KeyId });
        GenerateDataKeyResponse dataKey = await kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key.KeyId, KeySpec = DataKeySpec.AES_256 });
        needles.Add("data key", dataKey.Plaintext.Span);
        GenerateRandomResponse random = await kms.GenerateRandomAsync(new GenerateRandomRequest { NumberOfBytes = 32 });
        needles.Add("random", random.Plaintext.Span);
        GenerateMacResponse mac = await kms.GenerateMacAsync(new GenerateMacRequest { KeyId = hmac.KeyId, Message = secret, MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_256 });
        needles.Add("mac", mac.Mac.Span);
        await Assert.ThrowsAsync<KMSInvalidMacException>(() => kms.VerifyMacAsync(new VerifyMacRequest { KeyId = hmac.KeyId, Message = secret, Mac = new byte[32], MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_256 }));
        SignResponse signature = await kms.SignAsync(new SignRequest { KeyId = signer.KeyId, Message = secret, SigningAlgorithm = SigningAlgorithmSpec.ECDSA_SHA_256 });
        needles.Add("signature", signature.Signature.Span);
        await kms.VerifyAsync(new VerifyRequest { KeyId = signer.KeyId, Message = secret, Signature = signature.Signature, SigningAlgorithm = SigningAlgorithmSpec.ECDSA_SHA_256 });
        GenerateDataKeyPairResponse pair = await kms.GenerateDataKeyPairAsync(new GenerateDataKeyPairRequest { KeyId = key.KeyId, KeyPairSpec = DataKeyPairSpec.ECC_NIST_P256 });
        needles.Add("private key", pair.PrivateKeyPlaintext.Span);
        EncryptResponse rsaEncrypted = await kms.EncryptAsync(new EncryptRequest { KeyId = rsa.KeyId, Plaintext = secret, EncryptionAlgorithm = EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256 });
        await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = rsaEncrypted.CiphertextBlob, KeyId = rsa.KeyId, EncryptionAlgorithm = EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256 });
        await Assert.ThrowsAsync<ValidationException>(() => kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = secret.Concat(new byte[5000]).ToArray() }));
        foreach (byte[] material in new[] { key, hmac, signer, rsa }.SelectMany(k => kms.DangerousExportAllMaterialForTests(k.KeyId)))
        {
            needles.Add("key material", material);
        }

        Assert.True(_audit.Events.Count >= 15);
        foreach (AuditEvent auditEvent in _audit.Events)
        {
            IReadOnlyList<string> found = needles.FoundIn(auditEvent.ToJson());
            Assert.True(found.Count == 0, $"{auditEvent.EventName} leaked {string.Join(", ", found)}");
        }
    }

    [Fact]
    public async Task The_JSON_lines_sink_appends_whole_lines_under_concurrent_writers()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("audit.jsonl");
        using var first = new JsonLinesAuditSink(path);
        using var second = new JsonLinesAuditSink(path);
        using var kms1 = new InMemoryKeyService(auditSink: first);
        using var kms2 = new InMemoryKeyService(auditSink: second);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            InMemoryKeyService kms = i % 2 == 0 ? kms1 : kms2;
            for (int j = 0; j < 50; j++)
            {
                await kms.GenerateRandomAsync(new GenerateRandomRequest { NumberOfBytes = 8 });
            }
        })));

        string[] lines = await File.ReadAllLinesAsync(path);
        Assert.Equal(400, lines.Length);
        Assert.All(lines, line => Assert.Equal("GenerateRandom", JsonDocument.Parse(line).RootElement.GetProperty("eventName").GetString()));
        Assert.Equal(400, lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("eventID").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task The_logger_sink_and_DI_registration_record_calls()
    {
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(logs);
        services.AddVaultlib().AddInMemoryAudit().AddLoggerAudit();
        await using ServiceProvider provider = services.BuildServiceProvider();
        await provider.GetRequiredService<IKeyService>().GenerateRandomAsync(new GenerateRandomRequest { NumberOfBytes = 8 });

        Assert.Single(provider.GetRequiredService<InMemoryAuditSink>().Events);
        Assert.Contains(logs.Lines, l => l.Contains("[2000]", StringComparison.Ordinal) && l.Contains("\"eventName\":\"GenerateRandom\"", StringComparison.Ordinal));
    }
}
