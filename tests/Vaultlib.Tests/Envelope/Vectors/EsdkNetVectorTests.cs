using System.IO.Compression;
using System.Text.Json;
using Vaultlib.Envelope;

namespace Vaultlib.Tests.Envelope.Vectors;

/// <summary>
/// The vectors published with the AWS Encryption SDK for .NET 4.x (awses-decrypt manifests v4):
/// every raw-keyed test of v4-Net-4.0.1 (99) and valid-Net-4.0.0 (5) decrypts, including the
/// RequiredEncryptionContext ones whose required pairs are not in the header; the 28 of
/// invalid-Net-4.0.0, which only a .NET 4.0.0 bug's compatibility fallback opens, are refused cleanly.
/// </summary>
public sealed class EsdkNetVectorTests
{
    public static TheoryData<string, string> RawTests(string zipName)
    {
        var data = new TheoryData<string, string>();
        using ZipArchive zip = ZipFile.OpenRead(EsdkVectorSupport.DataPath("net", zipName));
        using JsonDocument manifest = JsonDocument.Parse(EsdkVectorSupport.ZipEntry(zip, "manifest.json"));
        foreach (JsonProperty test in manifest.RootElement.GetProperty("tests").EnumerateObject())
        {
            if (test.Value.GetProperty("master-keys").EnumerateArray().All(k => k.GetProperty("type").GetString() == "raw"))
            {
                data.Add(zipName, test.Name);
            }
        }

        return data;
    }

    public static TheoryData<string, string> ValidTests()
    {
        TheoryData<string, string> all = RawTests("v4-Net-4.0.1.zip");
        foreach (object[] row in RawTests("valid-Net-4.0.0.zip"))
        {
            all.Add((string)row[0], (string)row[1]);
        }

        return all;
    }

    public static TheoryData<string, string> InvalidTests() => RawTests("invalid-Net-4.0.0.zip");

    [Fact]
    public void Every_raw_keyed_test_is_covered()
    {
        Assert.Equal(99 + 5, ValidTests().Count);
        Assert.Equal(28, InvalidTests().Count);
    }

    [Theory]
    [MemberData(nameof(ValidTests))]
    public async Task Raw_keyed_vectors_decrypt_to_their_plaintext(string zipName, string testName)
    {
        (byte[] ciphertext, byte[]? expected, IKeyring keyring, Dictionary<string, string>? context) = Load(zipName, testName);
        var encryptor = new EnvelopeEncryptor(new EnvelopeEncryptorOptions { CommitmentPolicy = CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT });

        DecryptOutput output = await encryptor.DecryptAsync(new DecryptInput { Ciphertext = ciphertext, Keyring = keyring, EncryptionContext = context });

        Assert.NotNull(expected);
        Assert.Equal(expected, output.Plaintext.ToArray());
        foreach ((string key, string value) in context ?? [])
        {
            Assert.Equal(value, output.EncryptionContext[key]);
        }

        using var streamed = new MemoryStream();
        DecryptStreamOutput streamOutput = await encryptor.DecryptStreamAsync(new MemoryStream(ciphertext), streamed, new DecryptStreamInput { Keyring = keyring, EncryptionContext = context });
        Assert.Equal(expected, streamed.ToArray());
        EsdkVectorSupport.AssertHeader(ciphertext, output, streamOutput);
    }

    [Theory]
    [MemberData(nameof(InvalidTests))]
    public async Task Vectors_of_the_NET_400_bug_are_refused_cleanly(string zipName, string testName)
    {
        (byte[] ciphertext, _, IKeyring keyring, Dictionary<string, string>? context) = Load(zipName, testName);
        var encryptor = new EnvelopeEncryptor(new EnvelopeEncryptorOptions { CommitmentPolicy = CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT });

        var ex = await Assert.ThrowsAsync<BadCiphertextException>(async () => await encryptor.DecryptAsync(new DecryptInput { Ciphertext = ciphertext, Keyring = keyring, EncryptionContext = context }));
        Assert.Equal(BadCiphertextException.AuthenticationFailedMessage, ex.Message);
    }

    private static (byte[] Ciphertext, byte[]? Plaintext, IKeyring Keyring, Dictionary<string, string>? Context) Load(string zipName, string testName)
    {
        using ZipArchive zip = ZipFile.OpenRead(EsdkVectorSupport.DataPath("net", zipName));
        using JsonDocument manifest = JsonDocument.Parse(EsdkVectorSupport.ZipEntry(zip, "manifest.json"));
        using JsonDocument keys = JsonDocument.Parse(EsdkVectorSupport.ZipEntry(zip, "keys.json"));
        JsonElement test = manifest.RootElement.GetProperty("tests").GetProperty(testName);
        byte[] ciphertext = EsdkVectorSupport.ZipEntry(zip, test.GetProperty("ciphertext").GetString()!);
        byte[]? plaintext = test.GetProperty("result").TryGetProperty("output", out JsonElement output)
            ? EsdkVectorSupport.ZipEntry(zip, output.GetProperty("plaintext").GetString()!)
            : null;
        IKeyring keyring = EsdkVectorSupport.ManifestKeyring(test.GetProperty("master-keys"), keys.RootElement.GetProperty("keys"));
        return (ciphertext, plaintext, keyring, EsdkVectorSupport.Context(test, "encryption-context"));
    }
}
