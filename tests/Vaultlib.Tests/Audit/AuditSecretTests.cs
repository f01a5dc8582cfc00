using System.Text;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Keys;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Audit;

/// <summary>
/// Known secret bytes (plaintexts, data keys, private keys, MACs, signatures) and secret strings
/// (grant tokens) go through every KMS operation; none of them appears in any audit record, log
/// line or exception, in any encoding. The test checks that it did reach every operation.
/// </summary>
public sealed class AuditSecretTests
{
    [Fact]
    public async Task No_secret_reaches_an_audit_record_a_log_line_or_an_exception_from_any_operation()
    {
        var audit = new InMemoryAuditSink();
        var logs = new CapturingLoggerProvider();
        using var kms = new InMemoryKeyService(timeProvider: TestData.NewClock(), loggerFactory: logs, auditSink: audit);
        var needles = new SecretNeedles();
        var errors = new List<string>();
        byte[] plaintext = Encoding.UTF8.GetBytes("audit-secret: the vault combination is 31-41-59");
        needles.Add("plaintext", plaintext);
        var context = TestData.Context(("tenant", "t-1"));

        async Task<T?> Try<T>(Func<Task<T>> call)
            where T : class
        {
            try
            {
                return await call();
            }
            catch (VaultlibException ex)
            {
                errors.Add(ex.ToString());
                return null;
            }
        }

        KeyMetadata key = (await kms.CreateKeyAsync(new CreateKeyRequest { Description = "audited", Tags = [new Tag { TagKey = "team", TagValue = "a" }] })).KeyMetadata;
        await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId });
        await kms.ListKeysAsync(new ListKeysRequest());
        await kms.UpdateKeyDescriptionAsync(new UpdateKeyDescriptionRequest { KeyId = key.KeyId, Description = "still audited" });
        await kms.TagResourceAsync(new TagResourceRequest { KeyId = key.KeyId, Tags = [new Tag { TagKey = "env", TagValue = "test" }] });
        await kms.UntagResourceAsync(new UntagResourceRequest { KeyId = key.KeyId, TagKeys = ["env"] });
        await kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key.KeyId });
        await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/audited", TargetKeyId = key.KeyId });
        await kms.UpdateAliasAsync(new UpdateAliasRequest { AliasName = "alias/audited", TargetKeyId = key.KeyId });
        await kms.ListAliasesAsync(new ListAliasesRequest());
        await kms.DeleteAliasAsync(new DeleteAliasRequest { AliasName = "alias/audited" });

        CreateGrantResponse grant = await kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key.KeyId, GranteePrincipal = "arn:aws:iam::111122223333:role/app", Operations = [GrantOperation.Encrypt, GrantOperation.Decrypt, GrantOperation.RetireGrant] });
        needles.Add("grant token", Encoding.ASCII.GetBytes(grant.GrantToken));
        IReadOnlyList<string> tokens = [grant.GrantToken];

        EncryptResponse encrypted = await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = plaintext, EncryptionContext = context, GrantTokens = tokens });
        DecryptResponse decrypted = await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = encrypted.CiphertextBlob, EncryptionContext = context, GrantTokens = tokens });
        Assert.Equal(plaintext, decrypted.Plaintext.ToArray());
        KeyMetadata other = await kms.CreateKeyAsync("destination");
        await kms.ReEncryptAsync(new ReEncryptRequest { CiphertextBlob = encrypted.CiphertextBlob, SourceEncryptionContext = context, DestinationKeyId = other.KeyId, GrantTokens = tokens });
        GenerateDataKeyResponse dataKey = await kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key.KeyId, KeySpec = DataKeySpec.AES_256, GrantTokens = tokens });
        needles.Add("data key", dataKey.Plaintext.Span);
        await kms.GenerateDataKeyWithoutPlaintextAsync(new GenerateDataKeyWithoutPlaintextRequest { KeyId = key.KeyId, NumberOfBytes = 32, GrantTokens = tokens });
        GenerateRandomResponse random = await kms.GenerateRandomAsync(new GenerateRandomRequest { NumberOfBytes = 32 });
        needles.Add("random", random.Plaintext.Span);
        GenerateDataKeyPairResponse pair = await kms.GenerateDataKeyPairAsync(new GenerateDataKeyPairRequest { KeyId = key.KeyId, KeyPairSpec = DataKeyPairSpec.ECC_NIST_P256, GrantTokens = tokens });
        needles.Add("data key pair private key", pair.PrivateKeyPlaintext.Span);
        await kms.GenerateDataKeyPairWithoutPlaintextAsync(new GenerateDataKeyPairWithoutPlaintextRequest { KeyId = key.KeyId, KeyPairSpec = DataKeyPairSpec.ECC_NIST_P256, GrantTokens = tokens });

        await kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId });
        await kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.KeyId });
        await kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = key.KeyId });
        await kms.ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = key.KeyId });
        await kms.DisableKeyRotationAsync(new DisableKeyRotationRequest { KeyId = key.KeyId });
        GetKeyPolicyResponse policy = await kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId });
        await kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key.KeyId, Policy = policy.Policy });
        await kms.ListKeyPoliciesAsync(new ListKeyPoliciesRequest { KeyId = key.KeyId });
        await kms.ListGrantsAsync(new ListGrantsRequest { KeyId = key.KeyId });
        await kms.ListRetirableGrantsAsync(new ListRetirableGrantsRequest { RetiringPrincipal = "arn:aws:iam::111122223333:role/app" });
        await Try(() => kms.AsCaller(new CallerIdentity { Principal = "arn:aws:iam::111122223333:role/app" }).RetireGrantAsync(new RetireGrantRequest { GrantToken = grant.GrantToken }));
        CreateGrantResponse second = await kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key.KeyId, GranteePrincipal = "arn:aws:iam::111122223333:role/app", Operations = [GrantOperation.Encrypt] });
        needles.Add("second grant token", Encoding.ASCII.GetBytes(second.GrantToken));
        await kms.RevokeGrantAsync(new RevokeGrantRequest { KeyId = key.KeyId, GrantId = second.GrantId });
        await Try(() => kms.RetireGrantAsync(new RetireGrantRequest { GrantToken = second.GrantToken })); // revoked: the token is refused, and not recorded

        KeyMetadata signing = (await kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.ECC_NIST_P256, KeyUsage = KeyUsageType.SIGN_VERIFY })).KeyMetadata;
        SignResponse signature = await kms.SignAsync(new SignRequest { KeyId = signing.KeyId, Message = plaintext, SigningAlgorithm = SigningAlgorithmSpec.ECDSA_SHA_256 });
        needles.Add("signature", signature.Signature.Span);
        await kms.VerifyAsync(new VerifyRequest { KeyId = signing.KeyId, Message = plaintext, Signature = signature.Signature, SigningAlgorithm = SigningAlgorithmSpec.ECDSA_SHA_256 });
        await kms.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = signing.KeyId });
        KeyMetadata hmac = (await kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.HMAC_256, KeyUsage = KeyUsageType.GENERATE_VERIFY_MAC })).KeyMetadata;
        GenerateMacResponse mac = await kms.GenerateMacAsync(new GenerateMacRequest { KeyId = hmac.KeyId, Message = plaintext, MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_256 });
        needles.Add("mac", mac.Mac.Span);
        await kms.VerifyMacAsync(new VerifyMacRequest { KeyId = hmac.KeyId, Message = plaintext, Mac = mac.Mac, MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_256 });
        await Try(() => kms.VerifyMacAsync(new VerifyMacRequest { KeyId = hmac.KeyId, Message = plaintext, Mac = dataKey.Plaintext, MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_256 }));

        KeyMetadata agreement = (await kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.ECC_NIST_P256, KeyUsage = KeyUsageType.KEY_AGREEMENT })).KeyMetadata;
        using (var peer = System.Security.Cryptography.ECDiffieHellman.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))
        {
            DeriveSharedSecretResponse shared = await kms.DeriveSharedSecretAsync(new DeriveSharedSecretRequest { KeyId = agreement.KeyId, KeyAgreementAlgorithm = KeyAgreementAlgorithmSpec.ECDH, PublicKey = peer.ExportSubjectPublicKeyInfo(), GrantTokens = tokens });
            needles.Add("shared secret", shared.SharedSecret.Span);
        }

        byte[] importedMaterial = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        needles.Add("imported key material", importedMaterial);
        KeyMetadata external = (await kms.CreateKeyAsync(new CreateKeyRequest { Origin = OriginType.EXTERNAL })).KeyMetadata;
        GetParametersForImportResponse importParameters = await kms.GetParametersForImportAsync(new GetParametersForImportRequest { KeyId = external.KeyId, WrappingAlgorithm = AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256, WrappingKeySpec = WrappingKeySpec.RSA_2048 });
        byte[] wrappedMaterial = ImportWrapping.Wrap(importParameters.PublicKey.Span, AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256, importedMaterial);
        needles.Add("import token", importParameters.ImportToken.Span);
        needles.Add("wrapped key material", wrappedMaterial);
        await kms.ImportKeyMaterialAsync(new ImportKeyMaterialRequest { KeyId = external.KeyId, ImportToken = importParameters.ImportToken, EncryptedKeyMaterial = wrappedMaterial, ExpirationModel = ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE });
        await Try(() => kms.ImportKeyMaterialAsync(new ImportKeyMaterialRequest { KeyId = external.KeyId, ImportToken = importParameters.ImportToken, EncryptedKeyMaterial = wrappedMaterial.AsMemory(0, 280), ExpirationModel = ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE }));
        await kms.DeleteImportedKeyMaterialAsync(new DeleteImportedKeyMaterialRequest { KeyId = external.KeyId });
        KeyMetadata multiRegion = (await kms.CreateKeyAsync(new CreateKeyRequest { MultiRegion = true })).KeyMetadata;
        await Try(() => kms.ReplicateKeyAsync(new ReplicateKeyRequest { KeyId = multiRegion.KeyId, ReplicaRegion = "eu-west-1" })); // a service on its own has no other Region
        await Try(() => kms.UpdatePrimaryRegionAsync(new UpdatePrimaryRegionRequest { KeyId = multiRegion.KeyId, PrimaryRegion = "eu-west-1" }));

        await kms.DisableKeyAsync(new DisableKeyRequest { KeyId = other.KeyId });
        await Try(() => kms.EncryptAsync(new EncryptRequest { KeyId = other.KeyId, Plaintext = plaintext, GrantTokens = tokens }));
        await kms.EnableKeyAsync(new EnableKeyRequest { KeyId = other.KeyId });
        await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = other.KeyId, PendingWindowInDays = 7 });
        await kms.CancelKeyDeletionAsync(new CancelKeyDeletionRequest { KeyId = other.KeyId });
        await Try(() => kms.DecryptAsync(new DecryptRequest { CiphertextBlob = encrypted.CiphertextBlob, GrantTokens = tokens })); // wrong context
        foreach (byte[] material in kms.DangerousExportAllMaterialForTests(key.KeyId).Concat(kms.DangerousExportAllMaterialForTests(hmac.KeyId)))
        {
            needles.Add("key material", material);
        }

        string[] operations = [.. typeof(IKeyService).GetMethods().Select(m => m.Name[..^"Async".Length]).Order()];
        Assert.Equal(operations, audit.Events.Select(e => e.EventName).Distinct().Order());
        Assert.All(typeof(IKeyService).GetMethods(), method =>
        {
            // Every request and response has a source-generated shape, so no call is audited without its parameters.
            Assert.True(KmsAudit.Profile.Json.TryGetTypeInfo(method.GetParameters()[0].ParameterType, out _), method.Name);
            Assert.True(KmsAudit.Profile.Json.TryGetTypeInfo(method.ReturnType.GetGenericArguments()[0], out _), method.Name);
        });
        Assert.Equal(AuditEvent.Hidden, audit.Query(eventName: "ImportKeyMaterial")[0].RequestParameters?["encryptedKeyMaterial"]?.GetValue<string>());
        Assert.Contains(audit.Events, e => e.RequestParameters?["grantTokens"]?.GetValue<string>() == AuditEvent.Hidden);
        Assert.NotEmpty(errors);
        foreach (string text in audit.Events.Select(e => e.ToJson()).Concat(logs.Lines).Concat(errors))
        {
            IReadOnlyList<string> found = needles.FoundIn(text);
            Assert.True(found.Count == 0, $"leaked {string.Join(", ", found)} in: {text}");
        }
    }
}
