using System.Diagnostics;
using System.Security.Cryptography;
using Vaultlib.Keys;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Keys;

/// <summary>Contract tests: the contract of KMS <c>ImportKeyMaterial</c>.</summary>
public abstract partial class KeyServiceContractTests
{
    [SkippableTheory]
    [InlineData(AlgorithmSpec.RSAES_OAEP_SHA_1)]
    [InlineData(AlgorithmSpec.RSAES_OAEP_SHA_256)]
    [InlineData(AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_1)]
    [InlineData(AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256)]
    public async Task ImportKeyMaterial_makes_the_unwrapped_material_the_keys_own(AlgorithmSpec algorithm)
    {
        // An HMAC key proves the imported bytes are the key's: its MACs are HMACs with exactly those bytes.
        byte[] material = RandomNumberGenerator.GetBytes(48);
        KeyMetadata hmac = await NewExternalKey(KeySpec.HMAC_256, KeyUsageType.GENERATE_VERIFY_MAC);
        ImportKeyMaterialResponse imported = await Import(hmac.KeyId, material, algorithm);

        byte[] message = "imported"u8.ToArray();
        GenerateMacResponse mac = await Kms.GenerateMacAsync(new GenerateMacRequest { KeyId = hmac.KeyId, Message = message, MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_256 });
        Assert.Equal(HMACSHA256.HashData(material, message), mac.Mac.ToArray());
        KeyMetadata described = (await Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = hmac.KeyId })).KeyMetadata;
        Assert.Equal(KeyState.Enabled, described.KeyState);
        Assert.Equal(imported.KeyMaterialId, described.CurrentKeyMaterialId);
        Assert.Matches("^[0-9a-f]{64}$", imported.KeyMaterialId);
        Assert.Equal(ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE, described.ExpirationModel);
        Assert.Null(described.ValidTo);

        KeyMetadata symmetric = await NewExternalKey();
        await Import(symmetric.KeyId, RandomNumberGenerator.GetBytes(32), algorithm);
        byte[] blob = await Encrypt(symmetric.KeyId, [4, 5, 6]);
        Assert.Equal([4, 5, 6], await Decrypt(blob));
    }

    [SkippableFact]
    public async Task RSA_AES_wrapped_material_no_longer_than_the_wrapped_AES_key_and_one_block_is_refused_for_its_length()
    {
        KeyMetadata key = await NewExternalKey();
        GetParametersForImportResponse parameters = await Kms.GetParametersForImportAsync(new GetParametersForImportRequest { KeyId = key.KeyId, WrappingAlgorithm = AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256, WrappingKeySpec = WrappingKeySpec.RSA_2048 });
        byte[] wrapped = ImportWrapping.Wrap(parameters.PublicKey.Span, AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256, RandomNumberGenerator.GetBytes(32));
        foreach (int length in new[] { 256 + 8, 256 + 7, 100 })
        {
            var ex = await Assert.ThrowsAsync<InvalidCiphertextException>(() => Kms.ImportKeyMaterialAsync(new ImportKeyMaterialRequest { KeyId = key.KeyId, ImportToken = parameters.ImportToken, EncryptedKeyMaterial = wrapped.AsMemory(0, length), ExpirationModel = ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE }));
            Assert.Contains("the 256-byte wrapped AES key followed by the AES-wrapped material", ex.Message, StringComparison.Ordinal);
        }

        ReadOnlyMemory<byte> shortened = wrapped.AsMemory(0, 256 + 16); // long enough: refused by AES-KWP's integrity check instead
        var unwrapped = await Assert.ThrowsAsync<InvalidCiphertextException>(() => Kms.ImportKeyMaterialAsync(new ImportKeyMaterialRequest { KeyId = key.KeyId, ImportToken = parameters.ImportToken, EncryptedKeyMaterial = shortened, ExpirationModel = ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE }));
        Assert.Contains("does not decrypt", unwrapped.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ImportKeyMaterial_refuses_wrong_tokens_expired_tokens_bad_wrapping_and_material_that_does_not_fit()
    {
        KeyMetadata key = await NewExternalKey();
        KeyMetadata other = await NewExternalKey();
        GetParametersForImportResponse parameters = await Kms.GetParametersForImportAsync(new GetParametersForImportRequest { KeyId = key.KeyId, WrappingAlgorithm = AlgorithmSpec.RSAES_OAEP_SHA_256, WrappingKeySpec = WrappingKeySpec.RSA_2048 });
        GetParametersForImportResponse otherParameters = await Kms.GetParametersForImportAsync(new GetParametersForImportRequest { KeyId = other.KeyId, WrappingAlgorithm = AlgorithmSpec.RSAES_OAEP_SHA_256, WrappingKeySpec = WrappingKeySpec.RSA_2048 });
        byte[] material = RandomNumberGenerator.GetBytes(32);
        Task<ImportKeyMaterialResponse> Send(ReadOnlyMemory<byte> token, byte[] encrypted, DateTimeOffset? validTo = null, ExpirationModelType? model = ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE) =>
            Kms.ImportKeyMaterialAsync(new ImportKeyMaterialRequest { KeyId = key.KeyId, ImportToken = token, EncryptedKeyMaterial = encrypted, ValidTo = validTo, ExpirationModel = model });
        byte[] wrapped = ImportWrapping.Wrap(parameters.PublicKey.Span, AlgorithmSpec.RSAES_OAEP_SHA_256, material);

        Assert.Equal("InvalidImportTokenException", (await Assert.ThrowsAsync<InvalidImportTokenException>(() => Send(otherParameters.ImportToken, wrapped))).ErrorCode);
        await Assert.ThrowsAsync<InvalidImportTokenException>(() => Send(RandomNumberGenerator.GetBytes(64), wrapped));
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => Send(parameters.ImportToken, ImportWrapping.Wrap(otherParameters.PublicKey.Span, AlgorithmSpec.RSAES_OAEP_SHA_256, material)));
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => Send(parameters.ImportToken, ImportWrapping.Wrap(parameters.PublicKey.Span, AlgorithmSpec.RSAES_OAEP_SHA_1, material)));
        var cut = await Assert.ThrowsAsync<InvalidCiphertextException>(() => Send(parameters.ImportToken, wrapped[..100]));
        Assert.Contains("exactly 256 bytes", cut.Message, StringComparison.Ordinal); // refused for its length, before any decryption
        var length = await Assert.ThrowsAsync<IncorrectKeyMaterialException>(() => Send(parameters.ImportToken, ImportWrapping.Wrap(parameters.PublicKey.Span, AlgorithmSpec.RSAES_OAEP_SHA_256, material[..16])));
        Assert.Contains("32 bytes", length.Message, StringComparison.Ordinal);

        // ExpirationModel and ValidTo go together; ValidTo is in the future and at most 365 days away.
        Assert.Equal("ValidTo", (await Assert.ThrowsAsync<ValidationException>(() => Send(parameters.ImportToken, wrapped, model: null))).MemberName);
        Assert.Equal("ValidTo", (await Assert.ThrowsAsync<ValidationException>(() => Send(parameters.ImportToken, wrapped, TestData.Epoch.AddDays(1)))).MemberName);
        Assert.Equal("ValidTo", (await Assert.ThrowsAsync<ValidationException>(() => Send(parameters.ImportToken, wrapped, TestData.Epoch, ExpirationModelType.KEY_MATERIAL_EXPIRES))).MemberName);
        Assert.Equal("ValidTo", (await Assert.ThrowsAsync<ValidationException>(() => Send(parameters.ImportToken, wrapped, TestData.Epoch.AddDays(366), ExpirationModelType.KEY_MATERIAL_EXPIRES))).MemberName);
        Assert.Equal(KeyState.PendingImport, (await Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata.KeyState);

        // The token and public key are accepted for 24 hours, then the token is expired.
        Clock.Advance(TimeSpan.FromHours(24));
        Assert.Equal("ExpiredImportTokenException", (await Assert.ThrowsAsync<ExpiredImportTokenException>(() => Send(parameters.ImportToken, wrapped))).ErrorCode);
        await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await Import((await NewKey()).KeyId, material));
    }

    [SkippableFact]
    public async Task Only_the_material_imported_first_can_be_imported_again_to_restore_it_or_change_its_expiry()
    {
        KeyMetadata key = await NewExternalKey();
        byte[] material = RandomNumberGenerator.GetBytes(32);
        ImportKeyMaterialResponse first = await Import(key.KeyId, material, validTo: TestData.Epoch.AddDays(30));
        byte[] blob = await Encrypt(key.KeyId, [7]);

        var different = await Assert.ThrowsAsync<IncorrectKeyMaterialException>(() => Import(key.KeyId, RandomNumberGenerator.GetBytes(32)));
        Assert.Equal("IncorrectKeyMaterialException", different.ErrorCode);
        ImportKeyMaterialResponse again = await Import(key.KeyId, material, AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256);
        Assert.Equal(first.KeyMaterialId, again.KeyMaterialId);
        KeyMetadata described = (await Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata;
        Assert.Equal(ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE, described.ExpirationModel);
        Assert.Null(described.ValidTo);

        DeleteImportedKeyMaterialResponse deleted = await Kms.DeleteImportedKeyMaterialAsync(new DeleteImportedKeyMaterialRequest { KeyId = key.Arn });
        Assert.Equal(first.KeyMaterialId, deleted.KeyMaterialId);
        Assert.Equal(KeyState.PendingImport, (await Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata.KeyState);
        await Assert.ThrowsAsync<KMSInvalidStateException>(() => Decrypt(blob));
        await Assert.ThrowsAsync<IncorrectKeyMaterialException>(() => Import(key.KeyId, RandomNumberGenerator.GetBytes(32)));
        await Import(key.KeyId, material);
        Assert.Equal([7], await Decrypt(blob));
    }

    [SkippableFact]
    public async Task Imported_material_expires_on_its_own_at_ValidTo_and_the_key_waits_for_it_again()
    {
        KeyMetadata key = await NewExternalKey();
        byte[] material = RandomNumberGenerator.GetBytes(32);
        DateTimeOffset validTo = TestData.Epoch.AddDays(2);
        await Import(key.KeyId, material, validTo: validTo);
        byte[] blob = await Encrypt(key.KeyId, [9]);
        KeyMetadata described = (await Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata;
        Assert.Equal(ExpirationModelType.KEY_MATERIAL_EXPIRES, described.ExpirationModel);
        Assert.Equal(validTo, described.ValidTo);
        Assert.Equal(validTo, Kms.ScheduledWork.NextDueTime);

        Clock.Advance(TimeSpan.FromDays(2));
        await Kms.ScheduledWork.RunDueAsync(CancellationToken.None);

        Assert.Null(Kms.ScheduledWork.NextDueTime);
        KeyMetadata expired = (await Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata;
        Assert.Equal(KeyState.PendingImport, expired.KeyState);
        Assert.Null(expired.CurrentKeyMaterialId);
        Assert.Null(expired.ValidTo);
        await Assert.ThrowsAsync<KMSInvalidStateException>(() => Decrypt(blob));
        await Import(key.KeyId, material);
        Assert.Equal([9], await Decrypt(blob));
    }

    [SkippableFact]
    public async Task DeleteImportedKeyMaterial_applies_only_to_keys_of_imported_material()
    {
        await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await Kms.DeleteImportedKeyMaterialAsync(new DeleteImportedKeyMaterialRequest { KeyId = (await NewKey()).KeyId }));
        KeyMetadata waiting = await NewExternalKey();
        Assert.Null((await Kms.DeleteImportedKeyMaterialAsync(new DeleteImportedKeyMaterialRequest { KeyId = waiting.KeyId })).KeyMaterialId);
        await Kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/imported", TargetKeyId = waiting.KeyId });
        await Assert.ThrowsAsync<NotFoundException>(() => Kms.DeleteImportedKeyMaterialAsync(new DeleteImportedKeyMaterialRequest { KeyId = "alias/imported" }));
        await Assert.ThrowsAsync<InvalidArnException>(() => Kms.ImportKeyMaterialAsync(new ImportKeyMaterialRequest { KeyId = "arn:aws:kms:us-east-1:111122223333:alias/imported", ImportToken = new byte[] { 1 }, EncryptedKeyMaterial = new byte[] { 1 }, ExpirationModel = ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE }));
    }

    [SkippableFact]
    public async Task Asymmetric_private_keys_made_and_wrapped_by_openssl_import_and_sign_what_openssl_verifies()
    {
        RequiredPart.Require(File.Exists("/usr/bin/openssl"), "openssl", "apt-get install openssl");
        using var temp = new TempDirectory();
        foreach ((KeySpec spec, string genpkey, SigningAlgorithmSpec algorithm, string verify) in new[]
        {
            (KeySpec.ECC_NIST_EDWARDS25519, "-algorithm ED25519", SigningAlgorithmSpec.ED25519_SHA_512, "-rawin"),
            (KeySpec.RSA_2048, "-algorithm RSA -pkeyopt rsa_keygen_bits:2048", SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256, "dgst"),
            (KeySpec.ECC_NIST_P256, "-algorithm EC -pkeyopt ec_paramgen_curve:P-256", SigningAlgorithmSpec.ECDSA_SHA_256, "dgst"),
        })
        {
            string dir = temp.Combine(spec.ToString());
            Directory.CreateDirectory(dir);
            string F(string name) => Path.Combine(dir, name);
            // As AWS's guide says: PKCS #8 DER (genpkey's DER for RSA is PKCS #1, which AWS and Vaultlib refuse).
            OpenSslRun($"genpkey {genpkey} -out {F("private.pem")}");
            OpenSslRun($"pkcs8 -topk8 -nocrypt -in {F("private.pem")} -outform DER -out {F("private.der")}");
            OpenSslRun($"pkey -inform DER -in {F("private.der")} -pubout -out {F("public.pem")}");
            KeyMetadata key = await NewExternalKey(spec, KeyUsageType.SIGN_VERIFY);
            GetParametersForImportResponse parameters = await Kms.GetParametersForImportAsync(new GetParametersForImportRequest { KeyId = key.KeyId, WrappingAlgorithm = AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256, WrappingKeySpec = WrappingKeySpec.RSA_3072 });

            byte[] encrypted = await OpenSslWrap(parameters.PublicKey, AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256, F("private.der"), dir);
            await Kms.ImportKeyMaterialAsync(new ImportKeyMaterialRequest { KeyId = key.KeyId, ImportToken = parameters.ImportToken, EncryptedKeyMaterial = encrypted, ExpirationModel = ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE });

            byte[] message = "signed by imported material"u8.ToArray();
            await File.WriteAllBytesAsync(F("message.bin"), message);
            await File.WriteAllBytesAsync(F("signature.bin"), await Sign(key.KeyId, message, algorithm));
            OpenSslRun(verify == "dgst"
                ? $"dgst -sha256 -verify {F("public.pem")} -signature {F("signature.bin")} {F("message.bin")}"
                : $"pkeyutl -verify -pubin -inkey {F("public.pem")} {verify} -in {F("message.bin")} -sigfile {F("signature.bin")}");
        }
    }

    [SkippableTheory]
    [InlineData(AlgorithmSpec.RSAES_OAEP_SHA_1)]
    [InlineData(AlgorithmSpec.RSAES_OAEP_SHA_256)]
    [InlineData(AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_1)]
    [InlineData(AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256)]
    public async Task Symmetric_material_made_and_wrapped_by_openssl_imports_and_encrypts_and_decrypts(AlgorithmSpec algorithm)
    {
        RequiredPart.Require(File.Exists("/usr/bin/openssl"), "openssl", "apt-get install openssl");
        using var temp = new TempDirectory();
        string materialPath = temp.Combine("material.bin");
        OpenSslRun($"rand -out {materialPath} 32");
        KeyMetadata key = await NewExternalKey();
        GetParametersForImportResponse parameters = await Kms.GetParametersForImportAsync(new GetParametersForImportRequest { KeyId = key.KeyId, WrappingAlgorithm = algorithm, WrappingKeySpec = WrappingKeySpec.RSA_4096 });
        byte[] encrypted = await OpenSslWrap(parameters.PublicKey, algorithm, materialPath, temp.Combine("."));

        await Kms.ImportKeyMaterialAsync(new ImportKeyMaterialRequest { KeyId = key.KeyId, ImportToken = parameters.ImportToken, EncryptedKeyMaterial = encrypted, ValidTo = TestData.Epoch.AddDays(365) });

        byte[] blob = await Encrypt(key.KeyId, "wrapped by openssl"u8.ToArray());
        Assert.Equal("wrapped by openssl"u8.ToArray(), await Decrypt(blob));
        Assert.Equal(KeyState.Enabled, (await Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata.KeyState);
    }

    /// <summary>Wraps the material file as AWS's guide does with openssl: OAEP straight over it, or a random AES-256 key wrapping it (RFC 5649) and OAEP over that key.</summary>
    private static async Task<byte[]> OpenSslWrap(ReadOnlyMemory<byte> publicKey, AlgorithmSpec algorithm, string materialPath, string dir)
    {
        string wrapping = Path.Combine(dir, "wrapping.der");
        await File.WriteAllBytesAsync(wrapping, publicKey.ToArray());
        string md = algorithm is AlgorithmSpec.RSAES_OAEP_SHA_1 or AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_1 ? "sha1" : "sha256";
        string oaep = $"-pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:{md} -pkeyopt rsa_mgf1_md:{md}";
        if (algorithm is AlgorithmSpec.RSAES_OAEP_SHA_1 or AlgorithmSpec.RSAES_OAEP_SHA_256)
        {
            OpenSslRun($"pkeyutl -encrypt -pubin -keyform DER -inkey {wrapping} -in {materialPath} -out {Path.Combine(dir, "material.wrapped")} {oaep}");
            return await File.ReadAllBytesAsync(Path.Combine(dir, "material.wrapped"));
        }

        string aes = Path.Combine(dir, "aes.bin");
        OpenSslRun($"rand -out {aes} 32");
        OpenSslRun($"enc -id-aes256-wrap-pad -K {Convert.ToHexString(await File.ReadAllBytesAsync(aes))} -iv A65959A6 -in {materialPath} -out {Path.Combine(dir, "material.wrapped")}");
        OpenSslRun($"pkeyutl -encrypt -pubin -keyform DER -inkey {wrapping} -in {aes} -out {Path.Combine(dir, "aes.wrapped")} {oaep}");
        return [.. await File.ReadAllBytesAsync(Path.Combine(dir, "aes.wrapped")), .. await File.ReadAllBytesAsync(Path.Combine(dir, "material.wrapped"))];
    }

    private static void OpenSslRun(string arguments)
    {
        var start = new ProcessStartInfo("openssl", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"openssl {arguments}: {output}");
    }

    [SkippableFact]
    public async Task Asymmetric_material_of_another_spec_is_incorrect_key_material()
    {
        KeyMetadata p384 = await NewExternalKey(KeySpec.ECC_NIST_P384, KeyUsageType.SIGN_VERIFY);
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var curve = await Assert.ThrowsAsync<IncorrectKeyMaterialException>(() => Import(p384.KeyId, p256.ExportPkcs8PrivateKey(), AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256));
        Assert.Contains("curve", curve.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<IncorrectKeyMaterialException>(() => Import(p384.KeyId, RandomNumberGenerator.GetBytes(100), AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256));
        KeyMetadata rsa3072 = await NewExternalKey(KeySpec.RSA_3072, KeyUsageType.ENCRYPT_DECRYPT);
        using var rsa2048 = RSA.Create(2048);
        await Assert.ThrowsAsync<IncorrectKeyMaterialException>(() => Import(rsa3072.KeyId, rsa2048.ExportPkcs8PrivateKey(), AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_1));
        KeyMetadata rsa2048Key = await NewExternalKey(KeySpec.RSA_2048, KeyUsageType.ENCRYPT_DECRYPT);
        var rsaTrailing = await Assert.ThrowsAsync<IncorrectKeyMaterialException>(() => Import(rsa2048Key.KeyId, [.. rsa2048.ExportPkcs8PrivateKey(), 0, 0], AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_1));
        Assert.Contains("2 bytes follow", rsaTrailing.Message, StringComparison.Ordinal);
        KeyMetadata hmac = await NewExternalKey(KeySpec.HMAC_512, KeyUsageType.GENERATE_VERIFY_MAC);
        await Assert.ThrowsAsync<IncorrectKeyMaterialException>(() => Import(hmac.KeyId, RandomNumberGenerator.GetBytes(63)));
        await Assert.ThrowsAsync<IncorrectKeyMaterialException>(() => Import(hmac.KeyId, RandomNumberGenerator.GetBytes(129), AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256));
        await Import(hmac.KeyId, RandomNumberGenerator.GetBytes(128), AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256);

        // AWS's ranges: HMAC_224 28-64 bytes, HMAC_256 32-64, HMAC_384 48-128.
        foreach ((KeySpec spec, int tooShort, int shortest, int longest, int tooLong) in new[] { (KeySpec.HMAC_224, 27, 28, 64, 65), (KeySpec.HMAC_256, 31, 32, 64, 65), (KeySpec.HMAC_384, 47, 48, 128, 129) })
        {
            await Assert.ThrowsAsync<IncorrectKeyMaterialException>(async () => await Import((await NewExternalKey(spec, KeyUsageType.GENERATE_VERIFY_MAC)).KeyId, RandomNumberGenerator.GetBytes(tooShort)));
            await Assert.ThrowsAsync<IncorrectKeyMaterialException>(async () => await Import((await NewExternalKey(spec, KeyUsageType.GENERATE_VERIFY_MAC)).KeyId, RandomNumberGenerator.GetBytes(tooLong), AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256));
            await Import((await NewExternalKey(spec, KeyUsageType.GENERATE_VERIFY_MAC)).KeyId, RandomNumberGenerator.GetBytes(shortest));
            await Import((await NewExternalKey(spec, KeyUsageType.GENERATE_VERIFY_MAC)).KeyId, RandomNumberGenerator.GetBytes(longest), AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256);
        }

        // A private key followed by anything is not a PKCS #8 private key.
        KeyMetadata p256Key = await NewExternalKey(KeySpec.ECC_NIST_P256, KeyUsageType.SIGN_VERIFY);
        var trailing = await Assert.ThrowsAsync<IncorrectKeyMaterialException>(() => Import(p256Key.KeyId, [.. p256.ExportPkcs8PrivateKey(), 0], AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256));
        Assert.Contains("follow", trailing.Message, StringComparison.Ordinal);
        await Import(p256Key.KeyId, p256.ExportPkcs8PrivateKey(), AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256);

        // A well-formed PKCS #8 private key of another algorithm is not Ed25519 material.
        KeyMetadata ed25519 = await NewExternalKey(KeySpec.ECC_NIST_EDWARDS25519, KeyUsageType.SIGN_VERIFY);
        var notEd25519 = await Assert.ThrowsAsync<IncorrectKeyMaterialException>(() => Import(ed25519.KeyId, p256.ExportPkcs8PrivateKey(), AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256));
        Assert.Contains("not an Ed25519 key", notEd25519.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task The_imported_material_id_is_the_documented_HMAC_of_the_material_and_a_wrapped_AES_key_must_be_256_bits()
    {
        KeyMetadata key = await NewExternalKey();
        byte[] material = RandomNumberGenerator.GetBytes(32);
        ImportKeyMaterialResponse imported = await Import(key.KeyId, material);
        byte[] label = [.. "vaultlib/kms/imported-key-material/v1"u8, .. System.Text.Encoding.UTF8.GetBytes(key.KeyId)];
        byte[] expected = HMACSHA256.HashData(material, label);
        Assert.Equal(Convert.ToHexStringLower(expected), imported.KeyMaterialId);

        KeyMetadata other = await NewExternalKey();
        GetParametersForImportResponse parameters = await Kms.GetParametersForImportAsync(new GetParametersForImportRequest { KeyId = other.KeyId, WrappingAlgorithm = AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256, WrappingKeySpec = WrappingKeySpec.RSA_2048 });
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(parameters.PublicKey.Span, out _);
        byte[] aes128 = RandomNumberGenerator.GetBytes(16);
        using var aes = Aes.Create();
        aes.Key = aes128;
        byte[] weak = [.. rsa.Encrypt(aes128, RSAEncryptionPadding.OaepSHA256), .. aes.EncryptKeyWrapPadded(material)];
        var refused = await Assert.ThrowsAsync<InvalidCiphertextException>(() => Kms.ImportKeyMaterialAsync(new ImportKeyMaterialRequest { KeyId = other.KeyId, ImportToken = parameters.ImportToken, EncryptedKeyMaterial = weak, ExpirationModel = ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE }));
        Assert.Contains("256 bits", refused.Message, StringComparison.Ordinal);
    }
}
