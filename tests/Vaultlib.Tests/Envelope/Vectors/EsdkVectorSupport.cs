using System.IO.Compression;
using System.Text.Json;
using Vaultlib.Envelope;

namespace Vaultlib.Tests.Envelope.Vectors;

/// <summary>Builds keyrings from the vector manifests' descriptors.</summary>
internal static class EsdkVectorSupport
{
    public static string DataPath(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "TestData", "esdk", .. parts]);

    /// <summary>A keyring from an esdk-js descriptor (raw-aes, raw-rsa, multi).</summary>
    public static IKeyring JsKeyring(JsonElement descriptor)
    {
        switch (descriptor.GetProperty("type").GetString())
        {
            case "raw-aes":
                return new RawAesKeyring(
                    descriptor.GetProperty("keyNamespace").GetString()!,
                    descriptor.GetProperty("keyName").GetString()!,
                    Convert.FromBase64String(descriptor.GetProperty("keyMaterialBase64").GetString()!));
            case "raw-rsa":
                return new RawRsaKeyring(
                    descriptor.GetProperty("keyNamespace").GetString()!,
                    descriptor.GetProperty("keyName").GetString()!,
                    Enum.Parse<RsaPaddingScheme>(descriptor.GetProperty("padding").GetString()!),
                    descriptor.TryGetProperty("publicKeyPem", out JsonElement pub) ? pub.GetString() : null,
                    descriptor.TryGetProperty("privateKeyPem", out JsonElement priv) ? priv.GetString() : null);
            case "multi":
                return new MultiKeyring(
                    descriptor.TryGetProperty("generator", out JsonElement generator) && generator.ValueKind == JsonValueKind.Object ? JsKeyring(generator) : null,
                    descriptor.TryGetProperty("children", out JsonElement children) ? children.EnumerateArray().Select(JsKeyring).ToArray() : []);
            default:
                throw new NotSupportedException(descriptor.GetProperty("type").GetString());
        }
    }

    /// <summary>A keyring from an awses-decrypt v4 <c>master-keys</c> list and its keys manifest.</summary>
    public static IKeyring ManifestKeyring(JsonElement masterKeys, JsonElement keys)
    {
        var keyrings = new List<IKeyring>();
        foreach (JsonElement masterKey in masterKeys.EnumerateArray())
        {
            string keyName = masterKey.GetProperty("key").GetString()!;
            JsonElement key = keys.GetProperty(keyName);
            string providerId = masterKey.GetProperty("provider-id").GetString()!;
            string keyId = key.GetProperty("key-id").GetString()!;
            string material = key.GetProperty("material").ValueKind == JsonValueKind.Array
                ? string.Join(key.TryGetProperty("line-separator", out JsonElement sep) ? sep.GetString() : "", key.GetProperty("material").EnumerateArray().Select(l => l.GetString()))
                : key.GetProperty("material").GetString()!;
            if (masterKey.GetProperty("encryption-algorithm").GetString() == "aes")
            {
                keyrings.Add(new RawAesKeyring(providerId, keyId, Convert.FromBase64String(material)));
                continue;
            }

            RsaPaddingScheme padding = masterKey.GetProperty("padding-algorithm").GetString() switch
            {
                "pkcs1" => RsaPaddingScheme.PKCS1,
                "oaep-mgf1" => masterKey.GetProperty("padding-hash").GetString() switch
                {
                    "sha1" => RsaPaddingScheme.OAEP_SHA1_MGF1,
                    "sha256" => RsaPaddingScheme.OAEP_SHA256_MGF1,
                    "sha384" => RsaPaddingScheme.OAEP_SHA384_MGF1,
                    _ => RsaPaddingScheme.OAEP_SHA512_MGF1,
                },
                var other => throw new NotSupportedException(other),
            };
            bool isPrivate = key.GetProperty("type").GetString() == "private";
            keyrings.Add(new RawRsaKeyring(providerId, keyId, padding, isPrivate ? null : material, isPrivate ? material : null));
        }

        return keyrings.Count == 1 ? keyrings[0] : new MultiKeyring(keyrings[0], keyrings.Skip(1));
    }

    public static Dictionary<string, string>? Context(JsonElement parent, string property) =>
        parent.TryGetProperty(property, out JsonElement context) && context.ValueKind == JsonValueKind.Object
            ? context.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)
            : null;

    /// <summary>Reads an entry of a zip (the .NET vector sets are kept zipped, as published).</summary>
    /// <summary>
    /// The header read without decrypting says what decryption found: suite, context, message id, keys and framing;
    /// the key reported as decrypted is one of the header's; and every cut inside the header is a precise
    /// <see cref="BadCiphertextException"/>.
    /// </summary>
    public static void AssertHeader(byte[] ciphertext, DecryptOutput output, DecryptStreamOutput streamed)
    {
        MessageHeaderInfo parsed = EnvelopeEncryptor.ParseHeader(ciphertext);
        Assert.Equal(output.AlgorithmSuiteId, parsed.AlgorithmSuiteId);
        Assert.Equal(output.AlgorithmSuiteId.MessageFormatVersion, parsed.Version);
        Assert.Equal(parsed.Version == 1 ? 16 : 32, parsed.MessageId.Length);
        foreach ((string key, string value) in parsed.EncryptionContext)
        {
            Assert.Equal(value, output.EncryptionContext[key]);
        }

        foreach (MessageHeaderInfo? reported in new[] { output.Header, streamed.Header })
        {
            Assert.NotNull(reported);
            Assert.Equal(parsed.MessageId.ToArray(), reported.MessageId.ToArray());
            Assert.Equal((parsed.Framed, parsed.FrameLength, parsed.HeaderLength, parsed.EncryptedDataKeys.Count), (reported.Framed, reported.FrameLength, reported.HeaderLength, reported.EncryptedDataKeys.Count));
        }

        Assert.Equal(parsed.Framed, parsed.FrameLength > 0);
        foreach (EncryptedDataKey? decrypted in new[] { output.DecryptedDataKey, streamed.DecryptedDataKey })
        {
            Assert.NotNull(decrypted);
            Assert.Contains(parsed.EncryptedDataKeys, k => k.KeyProviderId == decrypted.KeyProviderId && k.KeyProviderInfo.Span.SequenceEqual(decrypted.KeyProviderInfo.Span) && k.Ciphertext.Span.SequenceEqual(decrypted.Ciphertext.Span));
        }

        for (int cut = 0; cut < parsed.HeaderLength; cut += Math.Max(1, parsed.HeaderLength / 97))
        {
            Assert.Throws<BadCiphertextException>(() => EnvelopeEncryptor.ParseHeader(ciphertext.AsSpan(0, cut)));
        }
    }

    public static byte[] ZipEntry(ZipArchive zip, string uri)
    {
        string path = uri.StartsWith("file://", StringComparison.Ordinal) ? uri["file://".Length..] : uri;
        ZipArchiveEntry entry = zip.Entries.Single(e => e.FullName.EndsWith(path, StringComparison.Ordinal));
        using Stream stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
