using System.Text.Json;
using Vaultlib.Envelope;

namespace Vaultlib.Tests.Envelope.Vectors;

/// <summary>
/// Messages made by the AWS Encryption SDK for JavaScript 5.0.2 with raw keyrings (and handcrafted
/// ones): every "pass" case decrypts to its plaintext, one-shot and streaming; every "fail" case is
/// refused with an <see cref="AwsCryptoException"/> and releases no plaintext one-shot.
/// </summary>
public sealed class EsdkJsVectorTests
{
    private static readonly JsonDocument s_manifest = JsonDocument.Parse(File.ReadAllBytes(EsdkVectorSupport.DataPath("js", "manifest.json")));

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (JsonElement c in s_manifest.RootElement.GetProperty("cases").EnumerateArray())
        {
            data.Add(c.GetProperty("id").GetString()!);
        }

        return data;
    }

    private static JsonElement Case(string id) =>
        s_manifest.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);

    [Fact]
    public void The_manifest_has_the_expected_cases()
    {
        JsonElement[] cases = [.. s_manifest.RootElement.GetProperty("cases").EnumerateArray()];
        Assert.Equal(155, cases.Length);
        Assert.Equal(119, cases.Count(c => c.GetProperty("expect").GetString() == "pass"));
        Assert.Equal(36, cases.Count(c => c.GetProperty("expect").GetString() == "fail"));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Decrypts_or_refuses_as_the_manifest_says(string id)
    {
        JsonElement c = Case(id);
        byte[] ciphertext = await File.ReadAllBytesAsync(EsdkVectorSupport.DataPath("js", c.GetProperty("ciphertext").GetString()!));
        bool committing = c.TryGetProperty("committing", out JsonElement com) && com.GetBoolean();
        CommitmentPolicy policy = c.TryGetProperty("decryptCommitmentPolicy", out JsonElement p) && p.ValueKind == JsonValueKind.String
            ? Enum.Parse<CommitmentPolicy>(p.GetString()!)
            : committing ? CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT : CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT;
        int? maxEdks = c.TryGetProperty("maxEncryptedDataKeys", out JsonElement m) && m.ValueKind == JsonValueKind.Number ? m.GetInt32() : null;
        var encryptor = new EnvelopeEncryptor(new EnvelopeEncryptorOptions { CommitmentPolicy = policy, MaxEncryptedDataKeys = maxEdks });
        IKeyring keyring = EsdkVectorSupport.JsKeyring(c.TryGetProperty("decryptKeyring", out JsonElement dk) ? dk : c.GetProperty("encryptKeyring"));

        if (c.GetProperty("expect").GetString() == "fail")
        {
            await Assert.ThrowsAnyAsync<AwsCryptoException>(async () => await encryptor.DecryptAsync(new DecryptInput { Ciphertext = ciphertext, Keyring = keyring }));
            using var sink = new MemoryStream();
            await Assert.ThrowsAnyAsync<AwsCryptoException>(() => encryptor.DecryptStreamAsync(new MemoryStream(ciphertext), sink, new DecryptStreamInput { Keyring = keyring }));
            return;
        }

        byte[] expected = await File.ReadAllBytesAsync(EsdkVectorSupport.DataPath("js", c.GetProperty("plaintext").GetString()!));
        DecryptOutput output = await encryptor.DecryptAsync(new DecryptInput { Ciphertext = ciphertext, Keyring = keyring });
        Assert.Equal(expected, output.Plaintext.ToArray());
        Assert.Equal(Convert.ToUInt16(c.GetProperty("algorithmSuiteId").GetString(), 16), output.AlgorithmSuiteId.Id);
        Dictionary<string, string> context = EsdkVectorSupport.Context(c, "encryptionContext") ?? [];
        Assert.Equal(
            context.OrderBy(x => x.Key, StringComparer.Ordinal),
            output.EncryptionContext.Where(x => x.Key != DefaultCryptoMaterialsManager.PublicKeyContextKey).OrderBy(x => x.Key, StringComparer.Ordinal));
        Assert.Equal(output.AlgorithmSuiteId.IsSigning, output.EncryptionContext.ContainsKey(DefaultCryptoMaterialsManager.PublicKeyContextKey));

        using var streamed = new MemoryStream();
        DecryptStreamOutput streamOutput = await encryptor.DecryptStreamAsync(new MemoryStream(ciphertext), streamed, new DecryptStreamInput { Keyring = keyring });
        Assert.Equal(expected, streamed.ToArray());
        Assert.Equal(expected.Length, streamOutput.PlaintextLength);
        EsdkVectorSupport.AssertHeader(ciphertext, output, streamOutput);
    }
}
