using System.Security.Cryptography;
using Vaultlib.Envelope;

namespace Vaultlib.Tests.Envelope;

/// <summary>
/// The Required Encryption Context CMM, as the Material Providers Library specifies it: required keys must be in the
/// encryption context, are kept out of the header but authenticated by its tag, and must be reproduced, with the same
/// values, to decrypt.
/// </summary>
public sealed class RequiredEncryptionContextTests : IDisposable
{
    private readonly RawAesKeyring _keyring = new("ns", "key", RandomNumberGenerator.GetBytes(32));
    private readonly EnvelopeEncryptor _encryptor = new();
    private static readonly Dictionary<string, string> s_context = new() { ["tenant"] = "acme", ["purpose"] = "backup", ["kept"] = "yes" };

    private RequiredEncryptionContextCryptoMaterialsManager Cmm() => new(["tenant", "purpose"], _keyring);

    public void Dispose() => _keyring.Dispose();

    [Theory]
    [InlineData(0x0478)]
    [InlineData(0x0578)]
    [InlineData(0x0178)]
    public async Task Required_pairs_stay_out_of_the_header_and_must_be_reproduced(int suiteId)
    {
        AlgorithmSuite suite = AlgorithmSuite.FromId((ushort)suiteId)!;
        var encryptor = new EnvelopeEncryptor(new EnvelopeEncryptorOptions { CommitmentPolicy = suite.IsCommitting ? CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT : CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT });
        byte[] plaintext = RandomNumberGenerator.GetBytes(3000);
        EncryptOutput sealedMessage = await encryptor.EncryptAsync(new EncryptInput { Plaintext = plaintext, MaterialsManager = Cmm(), EncryptionContext = s_context, AlgorithmSuiteId = suite });

        MessageHeaderInfo header = EnvelopeEncryptor.ParseHeader(sealedMessage.Ciphertext.Span);
        Assert.False(header.EncryptionContext.ContainsKey("tenant"));
        Assert.False(header.EncryptionContext.ContainsKey("purpose"));
        Assert.Equal("yes", header.EncryptionContext["kept"]);

        // Reproduced: through the CMM, and through a plain keyring (the default CMM takes reproduced pairs as required).
        var reproduced = new Dictionary<string, string> { ["tenant"] = "acme", ["purpose"] = "backup" };
        DecryptOutput opened = await encryptor.DecryptAsync(new DecryptInput { Ciphertext = sealedMessage.Ciphertext, MaterialsManager = Cmm(), EncryptionContext = reproduced });
        Assert.Equal(plaintext, opened.Plaintext.ToArray());
        Assert.Equal("acme", opened.EncryptionContext["tenant"]);
        Assert.Equal(plaintext, (await encryptor.DecryptAsync(new DecryptInput { Ciphertext = sealedMessage.Ciphertext, Keyring = _keyring, EncryptionContext = reproduced })).Plaintext.ToArray());
        using var streamed = new MemoryStream();
        await encryptor.DecryptStreamAsync(new MemoryStream(sealedMessage.Ciphertext.ToArray()), streamed, new DecryptStreamInput { Keyring = _keyring, EncryptionContext = reproduced });
        Assert.Equal(plaintext, streamed.ToArray());

        // Not reproduced: the CMM refuses; without the CMM, the raw AES keyring (which binds the whole context to the
        // data key) opens nothing. A different value opens nothing either.
        var missing = await Assert.ThrowsAsync<ValidationException>(async () => await encryptor.DecryptAsync(new DecryptInput { Ciphertext = sealedMessage.Ciphertext, MaterialsManager = Cmm(), EncryptionContext = new Dictionary<string, string> { ["tenant"] = "acme" } }));
        Assert.Contains("'purpose'", missing.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<CannotUnwrapDataKeyException>(async () => await encryptor.DecryptAsync(new DecryptInput { Ciphertext = sealedMessage.Ciphertext, Keyring = _keyring }));
        await Assert.ThrowsAsync<CannotUnwrapDataKeyException>(async () => await encryptor.DecryptAsync(new DecryptInput { Ciphertext = sealedMessage.Ciphertext, MaterialsManager = Cmm(), EncryptionContext = new Dictionary<string, string> { ["tenant"] = "other", ["purpose"] = "backup" } }));
    }

    [Fact]
    public async Task The_header_tag_authenticates_the_required_pairs()
    {
        // A raw RSA keyring does not bind the context to the data key: only the header's tag stands between a wrong
        // reproduced value and decryption.
        using var rsa = RSA.Create(2048);
        using var keyring = new RawRsaKeyring("ns", "rsa", RsaPaddingScheme.OAEP_SHA256_MGF1, rsa.ExportSubjectPublicKeyInfoPem(), rsa.ExportPkcs8PrivateKeyPem());
        var cmm = new RequiredEncryptionContextCryptoMaterialsManager(["tenant"], keyring);
        EncryptOutput sealedMessage = await _encryptor.EncryptAsync(new EncryptInput { Plaintext = new byte[100], MaterialsManager = cmm, EncryptionContext = s_context });

        Assert.Equal(100, (await _encryptor.DecryptAsync(new DecryptInput { Ciphertext = sealedMessage.Ciphertext, MaterialsManager = cmm, EncryptionContext = new Dictionary<string, string> { ["tenant"] = "acme" } })).Plaintext.Length);
        var wrong = await Assert.ThrowsAsync<BadCiphertextException>(async () => await _encryptor.DecryptAsync(new DecryptInput { Ciphertext = sealedMessage.Ciphertext, MaterialsManager = cmm, EncryptionContext = new Dictionary<string, string> { ["tenant"] = "other" } }));
        Assert.Equal(BadCiphertextException.AuthenticationFailedMessage, wrong.Message);
        await Assert.ThrowsAsync<BadCiphertextException>(async () => await _encryptor.DecryptAsync(new DecryptInput { Ciphertext = sealedMessage.Ciphertext, Keyring = keyring }));
    }

    [Fact]
    public async Task Encryption_without_a_required_key_is_refused()
    {
        var refused = await Assert.ThrowsAsync<ValidationException>(async () => await _encryptor.EncryptAsync(new EncryptInput { Plaintext = new byte[10], MaterialsManager = Cmm(), EncryptionContext = new Dictionary<string, string> { ["tenant"] = "acme" } }));
        Assert.Equal("EncryptionContext", refused.MemberName);
        Assert.Contains("'purpose'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streaming_encryption_keeps_required_pairs_out_of_the_header_too()
    {
        byte[] plaintext = RandomNumberGenerator.GetBytes(20_000);
        using var sealedStream = new MemoryStream();
        await _encryptor.EncryptStreamAsync(new MemoryStream(plaintext), sealedStream, new EncryptStreamInput { MaterialsManager = Cmm(), EncryptionContext = s_context, FrameLength = 1024 });
        byte[] message = sealedStream.ToArray();
        Assert.False(EnvelopeEncryptor.ParseHeader(message).EncryptionContext.ContainsKey("tenant"));
        DecryptOutput opened = await _encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, Keyring = _keyring, EncryptionContext = new Dictionary<string, string> { ["tenant"] = "acme", ["purpose"] = "backup" } });
        Assert.Equal(plaintext, opened.Plaintext.ToArray());
    }

    [Fact]
    public void The_configuration_is_checked()
    {
        Assert.Throws<ValidationException>(() => new RequiredEncryptionContextCryptoMaterialsManager([], _keyring));
        Assert.Throws<ValidationException>(() => new RequiredEncryptionContextCryptoMaterialsManager(["aws-crypto-public-key"], _keyring));
        Assert.Throws<ValidationException>(() => new RequiredEncryptionContextCryptoMaterialsManager([""], _keyring));
        Assert.Equal(["tenant", "purpose"], Cmm().RequiredEncryptionContextKeys);
        Assert.Contains("tenant", Cmm().ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Materials_from_an_underlying_manager_that_drops_a_required_key_are_refused()
    {
        var dropping = new RequiredEncryptionContextCryptoMaterialsManager(["tenant"], new DroppingManager(_keyring));
        await Assert.ThrowsAsync<ValidationException>(async () => await _encryptor.EncryptAsync(new EncryptInput { Plaintext = new byte[10], MaterialsManager = dropping, EncryptionContext = s_context }));
    }

    /// <summary>A manager that ignores the required keys it is asked to keep out of the header.</summary>
    private sealed class DroppingManager(IKeyring keyring) : ICryptoMaterialsManager
    {
        private readonly DefaultCryptoMaterialsManager _default = new(keyring);

        public ValueTask<EncryptionMaterials> GetEncryptionMaterialsAsync(GetEncryptionMaterialsInput input, CancellationToken cancellationToken = default) =>
            _default.GetEncryptionMaterialsAsync(input with { RequiredEncryptionContextKeys = null }, cancellationToken);

        public ValueTask<DecryptionMaterials> DecryptMaterialsAsync(DecryptMaterialsInput input, CancellationToken cancellationToken = default) =>
            _default.DecryptMaterialsAsync(input, cancellationToken);
    }
}
