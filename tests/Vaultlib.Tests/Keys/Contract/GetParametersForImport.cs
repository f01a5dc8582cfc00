using System.Security.Cryptography;
using Vaultlib.Keys;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Keys;

/// <summary>Contract tests: the contract of KMS <c>GetParametersForImport</c>.</summary>
public abstract partial class KeyServiceContractTests
{
    private async Task<KeyMetadata> NewExternalKey(KeySpec spec = KeySpec.SYMMETRIC_DEFAULT, KeyUsageType? usage = null) =>
        (await Kms.CreateKeyAsync(new CreateKeyRequest { Origin = OriginType.EXTERNAL, KeySpec = spec, KeyUsage = usage })).KeyMetadata;

    private async Task<ImportKeyMaterialResponse> Import(string keyId, byte[] material, AlgorithmSpec algorithm = AlgorithmSpec.RSAES_OAEP_SHA_256, DateTimeOffset? validTo = null, KeyService? kms = null)
    {
        kms ??= Kms;
        GetParametersForImportResponse parameters = await kms.GetParametersForImportAsync(new GetParametersForImportRequest { KeyId = keyId, WrappingAlgorithm = algorithm, WrappingKeySpec = WrappingKeySpec.RSA_2048 });
        return await kms.ImportKeyMaterialAsync(new ImportKeyMaterialRequest
        {
            KeyId = keyId,
            ImportToken = parameters.ImportToken,
            EncryptedKeyMaterial = ImportWrapping.Wrap(parameters.PublicKey.Span, algorithm, material),
            ExpirationModel = validTo is null ? ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE : ExpirationModelType.KEY_MATERIAL_EXPIRES,
            ValidTo = validTo,
        });
    }

    [SkippableTheory]
    [InlineData(WrappingKeySpec.RSA_2048, 2048)]
    [InlineData(WrappingKeySpec.RSA_3072, 3072)]
    [InlineData(WrappingKeySpec.RSA_4096, 4096)]
    public async Task GetParametersForImport_returns_an_RSA_public_key_of_the_spec_and_a_token_valid_for_24_hours(WrappingKeySpec spec, int bits)
    {
        KeyMetadata key = await NewExternalKey();
        Assert.Equal(KeyState.PendingImport, key.KeyState);
        Assert.Equal(OriginType.EXTERNAL, key.Origin);
        Assert.Null(key.CurrentKeyMaterialId);

        GetParametersForImportResponse parameters = await Kms.GetParametersForImportAsync(new GetParametersForImportRequest { KeyId = key.Arn, WrappingAlgorithm = AlgorithmSpec.RSAES_OAEP_SHA_256, WrappingKeySpec = spec });

        Assert.Equal(key.Arn, parameters.KeyId);
        Assert.Equal(TestData.Epoch.AddHours(24), parameters.ParametersValidTo);
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(parameters.PublicKey.Span, out _);
        Assert.Equal(bits, rsa.KeySize);
        GetParametersForImportResponse again = await Kms.GetParametersForImportAsync(new GetParametersForImportRequest { KeyId = key.KeyId, WrappingAlgorithm = AlgorithmSpec.RSAES_OAEP_SHA_256, WrappingKeySpec = spec });
        Assert.False(again.ImportToken.Span.SequenceEqual(parameters.ImportToken.Span));
        Assert.False(again.PublicKey.Span.SequenceEqual(parameters.PublicKey.Span));
    }

    [SkippableFact]
    public async Task GetParametersForImport_refuses_keys_algorithms_and_forms_AWS_refuses()
    {
        KeyMetadata generated = await NewKey();
        KeyMetadata external = await NewExternalKey();
        KeyMetadata rsaKey = await NewExternalKey(KeySpec.RSA_2048, KeyUsageType.SIGN_VERIFY);
        Task<GetParametersForImportResponse> Get(string keyId, AlgorithmSpec algorithm, WrappingKeySpec spec = WrappingKeySpec.RSA_2048) =>
            Kms.GetParametersForImportAsync(new GetParametersForImportRequest { KeyId = keyId, WrappingAlgorithm = algorithm, WrappingKeySpec = spec });

        var notExternal = await Assert.ThrowsAsync<UnsupportedOperationException>(() => Get(generated.KeyId, AlgorithmSpec.RSAES_OAEP_SHA_256));
        Assert.Contains("EXTERNAL", notExternal.Message, StringComparison.Ordinal);
        Assert.Equal("WrappingAlgorithm", (await Assert.ThrowsAsync<ValidationException>(() => Get(external.KeyId, AlgorithmSpec.RSAES_PKCS1_V1_5))).MemberName);
        Assert.Equal("WrappingAlgorithm", (await Assert.ThrowsAsync<ValidationException>(() => Get(external.KeyId, AlgorithmSpec.SM2PKE))).MemberName);
        Assert.Equal("WrappingKeySpec", (await Assert.ThrowsAsync<ValidationException>(() => Get(external.KeyId, AlgorithmSpec.RSAES_OAEP_SHA_256, WrappingKeySpec.SM2))).MemberName);
        Assert.Equal("WrappingAlgorithm", (await Assert.ThrowsAsync<ValidationException>(() => Get(external.KeyId, (AlgorithmSpec)42))).MemberName);
        Assert.Equal("WrappingAlgorithm", (await Assert.ThrowsAsync<ValidationException>(() => Get(rsaKey.KeyId, AlgorithmSpec.RSAES_OAEP_SHA_256))).MemberName);
        await Get(rsaKey.KeyId, AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256);

        await Kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/external", TargetKeyId = external.KeyId });
        await Assert.ThrowsAsync<NotFoundException>(() => Get("alias/external", AlgorithmSpec.RSAES_OAEP_SHA_256));
        await Assert.ThrowsAsync<InvalidArnException>(() => Get("arn:aws:kms:us-east-1:111122223333:alias/external", AlgorithmSpec.RSAES_OAEP_SHA_256));
        await Kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = external.KeyId });
        await Assert.ThrowsAsync<KMSInvalidStateException>(() => Get(external.KeyId, AlgorithmSpec.RSAES_OAEP_SHA_256));
    }

    [SkippableFact]
    public async Task A_key_waiting_for_its_material_refuses_use_enabling_and_rotation()
    {
        KeyMetadata key = await NewExternalKey();

        await Assert.ThrowsAsync<KMSInvalidStateException>(() => Kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[] { 1 } }));
        await Assert.ThrowsAsync<KMSInvalidStateException>(() => Kms.EnableKeyAsync(new EnableKeyRequest { KeyId = key.KeyId }));
        await Assert.ThrowsAsync<KMSInvalidStateException>(() => Kms.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId }));
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => Kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId }));
        KeyMetadata signing = await NewExternalKey(KeySpec.ECC_NIST_P256, KeyUsageType.SIGN_VERIFY);
        await Assert.ThrowsAsync<KMSInvalidStateException>(() => Kms.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = signing.KeyId }));

        // Deletion can be scheduled and cancelled; cancelling returns it to waiting for its material.
        await Kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId });
        await Kms.CancelKeyDeletionAsync(new CancelKeyDeletionRequest { KeyId = key.KeyId });
        Assert.Equal(KeyState.PendingImport, (await Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata.KeyState);
    }
}
