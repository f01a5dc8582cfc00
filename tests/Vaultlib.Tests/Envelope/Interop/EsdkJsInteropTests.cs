using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Vaultlib.AwsProtocol;
using Vaultlib.Envelope;
using Vaultlib.Keys;
using Vaultlib.Tool;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Envelope.Interop;

/// <summary>
/// Live interop with the AWS Encryption SDK for JavaScript (@aws-crypto/client-node 5.0.2, installed
/// by the test project's build): messages Vaultlib encrypts with every suite, raw AES and raw RSA
/// keyrings, framing edge cases and a non-ASCII context decrypt there to the same plaintext; and
/// messages it encrypts decrypt here, one-shot and streaming; and its KMS keyring, its KMS client pointed at
/// <c>vaultlib serve</c>, exchanges messages with Vaultlib's KMS keyring both ways, as do its discovery and
/// multi-Region-aware keyrings with Vaultlib's over the AWS SDK for .NET (a key replicated from us-east-1 to us-west-2).
/// </summary>
public sealed class EsdkJsInteropTests : IDisposable
{
    private const string Namespace = "vaultlib-interop";
    private static readonly Lazy<RSA> s_rsa = new(() => RSA.Create(2048));
    private readonly TempDirectory _temp = new();
    private readonly byte[] _aesKey = RandomNumberGenerator.GetBytes(32);
    private readonly Dictionary<string, string> _context = new() { ["purpose"] = "interop", ["ünïcödé"] = "值 😀", ["zz"] = "" };

    public void Dispose() => _temp.Dispose();

    /// <summary>The JavaScript SDK must be installed: skipped loudly without it, a failure under CI.</summary>
    private static void RequireJavaScriptSdk() => RequiredPart.Require(
        File.Exists(Path.Combine(RequiredPart.RepositoryRoot(), "tests", "interop", "esdk-js", "node_modules", "@aws-crypto", "client-node", "package.json")),
        "The AWS Encryption SDK for JavaScript (tests/interop/esdk-js/node_modules)",
        "Install it with `dotnet test -p:EsdkJsInterop=true` or `npm ci` in tests/interop/esdk-js.");

    private object AesDescriptor => new { type = "raw-aes", keyNamespace = Namespace, keyName = "aes-256", keyMaterialBase64 = Convert.ToBase64String(_aesKey) };

    private static object RsaDescriptor => new { type = "raw-rsa", keyNamespace = Namespace, keyName = "rsa-2048", publicKeyPem = s_rsa.Value.ExportSubjectPublicKeyInfoPem(), privateKeyPem = s_rsa.Value.ExportPkcs8PrivateKeyPem() };

    private IKeyring Keyring(bool rsa) => rsa
        ? new RawRsaKeyring(Namespace, "rsa-2048", RsaPaddingScheme.OAEP_SHA256_MGF1, s_rsa.Value.ExportSubjectPublicKeyInfoPem(), s_rsa.Value.ExportPkcs8PrivateKeyPem())
        : new RawAesKeyring(Namespace, "aes-256", _aesKey);

    [SkippableFact]
    public async Task Messages_Vaultlib_encrypts_decrypt_with_the_JavaScript_SDK()
    {
        RequireJavaScriptSdk();
        var encryptor = new EnvelopeEncryptor(new EnvelopeEncryptorOptions { CommitmentPolicy = CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT });
        var legacy = new EnvelopeEncryptor(new EnvelopeEncryptorOptions { CommitmentPolicy = CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT });
        var jobs = new List<object>();
        var expected = new List<(string Output, byte[] Plaintext, AlgorithmSuite Suite)>();
        foreach (AlgorithmSuite suite in AlgorithmSuite.All)
        {
            foreach (bool rsa in new[] { false, true })
            {
                foreach ((int length, int frame) in new[] { (10_000, 4096), (0, 512), (1024, 512), (3, 1) })
                {
                    byte[] plaintext = RandomNumberGenerator.GetBytes(length);
                    EncryptOutput sealedMessage = await (suite.IsCommitting ? encryptor : legacy).EncryptAsync(new EncryptInput
                    {
                        Plaintext = plaintext, Keyring = Keyring(rsa), AlgorithmSuiteId = suite, FrameLength = frame, EncryptionContext = _context,
                    });
                    string name = $"v-{suite.Id:x4}-{(rsa ? "rsa" : "aes")}-{length}-{frame}";
                    await File.WriteAllBytesAsync(_temp.Combine(name + ".msg"), sealedMessage.Ciphertext.ToArray());
                    jobs.Add(new { op = "decrypt", keyring = rsa ? RsaDescriptor : AesDescriptor, input = _temp.Combine(name + ".msg"), output = _temp.Combine(name + ".out") });
                    expected.Add((_temp.Combine(name + ".out"), plaintext, suite));
                }
            }
        }

        JsonElement[] results = await RunNode(jobs);

        Assert.Equal(AlgorithmSuite.All.Count * 2 * 4, results.Length);
        for (int i = 0; i < results.Length; i++)
        {
            Assert.True(results[i].GetProperty("ok").GetBoolean(), $"{expected[i].Output}: {results[i]}");
            Assert.Equal(expected[i].Plaintext, await File.ReadAllBytesAsync(expected[i].Output));
            Assert.Equal(expected[i].Suite.Id, results[i].GetProperty("suiteId").GetInt32());
            Assert.Equal("值 😀", results[i].GetProperty("encryptionContext").GetProperty("ünïcödé").GetString());
        }
    }

    [SkippableFact]
    public async Task Messages_the_JavaScript_SDK_encrypts_decrypt_with_Vaultlib()
    {
        RequireJavaScriptSdk();
        var jobs = new List<object>();
        var cases = new List<(string Message, byte[] Plaintext, bool Rsa, int Suite)>();
        foreach (AlgorithmSuite suite in AlgorithmSuite.All)
        {
            foreach (bool rsa in new[] { false, true })
            {
                byte[] plaintext = RandomNumberGenerator.GetBytes(5000);
                string name = $"js-{suite.Id:x4}-{(rsa ? "rsa" : "aes")}";
                await File.WriteAllBytesAsync(_temp.Combine(name + ".in"), plaintext);
                jobs.Add(new
                {
                    op = "encrypt", keyring = rsa ? RsaDescriptor : AesDescriptor, input = _temp.Combine(name + ".in"), output = _temp.Combine(name + ".msg"),
                    suiteId = suite.Id, frameLength = 1024, encryptionContext = _context,
                    policy = suite.IsCommitting ? "REQUIRE_ENCRYPT_ALLOW_DECRYPT" : "FORBID_ENCRYPT_ALLOW_DECRYPT",
                });
                cases.Add((_temp.Combine(name + ".msg"), plaintext, rsa, suite.Id));
            }
        }

        JsonElement[] results = await RunNode(jobs);
        var decryptor = new EnvelopeEncryptor(new EnvelopeEncryptorOptions { CommitmentPolicy = CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT });
        for (int i = 0; i < cases.Count; i++)
        {
            Assert.True(results[i].GetProperty("ok").GetBoolean(), results[i].ToString());
            byte[] message = await File.ReadAllBytesAsync(cases[i].Message);
            DecryptOutput output = await decryptor.DecryptAsync(new DecryptInput { Ciphertext = message, Keyring = Keyring(cases[i].Rsa), EncryptionContext = _context });
            Assert.Equal(cases[i].Plaintext, output.Plaintext.ToArray());
            Assert.Equal(cases[i].Suite, output.AlgorithmSuiteId.Id);
            using var streamed = new MemoryStream();
            await decryptor.DecryptStreamAsync(new MemoryStream(message), streamed, new DecryptStreamInput { Keyring = Keyring(cases[i].Rsa) });
            Assert.Equal(cases[i].Plaintext, streamed.ToArray());
        }
    }

    [SkippableFact]
    public async Task The_JavaScript_SDK_s_KMS_keyring_against_the_endpoint_and_Vaultlib_s_KMS_keyring_decrypt_each_other_s_messages()
    {
        RequireJavaScriptSdk();
        const string AccessKey = "AKIAESDKJSKMS0000001", Secret = "esdk-js-kms-secret-000000000000000000000";
        WebApplication app = VaultlibServer.Build(["--urls", "http://127.0.0.1:0", "--access-key-id", AccessKey, "--secret-access-key", Secret]);
        await app.StartAsync();
        await using (app)
        {
            string endpoint = LocalEndpoint.Address(app).GetLeftPart(UriPartial.Authority);
            KeyService kms = app.Services.GetRequiredService<VaultlibHost>().GetKeyService("us-east-1");
            string keyArn = (await kms.CreateKeyAsync(new CreateKeyRequest { Description = "esdk-js" })).KeyMetadata.Arn;
            var keyring = new KmsKeyring(kms, keyArn);
            var descriptor = new { type = "kms", keyId = keyArn, endpoint, accessKeyId = AccessKey, secretAccessKey = Secret };
            var encryptor = new EnvelopeEncryptor();
            byte[] ours = RandomNumberGenerator.GetBytes(5000), theirs = RandomNumberGenerator.GetBytes(5000);
            EncryptOutput sealedHere = await encryptor.EncryptAsync(new EncryptInput { Plaintext = ours, Keyring = keyring, EncryptionContext = _context });
            await File.WriteAllBytesAsync(_temp.Combine("here.msg"), sealedHere.Ciphertext.ToArray());
            await File.WriteAllBytesAsync(_temp.Combine("theirs.txt"), theirs);

            JsonElement[] results = await RunNode([
                new { op = "decrypt", keyring = descriptor, input = _temp.Combine("here.msg"), output = _temp.Combine("here.out") },
                new { op = "encrypt", keyring = descriptor, input = _temp.Combine("theirs.txt"), output = _temp.Combine("there.msg"), encryptionContext = _context },
            ]);

            Assert.All(results, r => Assert.True(r.GetProperty("ok").GetBoolean(), r.ToString()));
            Assert.Equal(ours, await File.ReadAllBytesAsync(_temp.Combine("here.out")));
            DecryptOutput opened = await encryptor.DecryptAsync(new DecryptInput { Ciphertext = await File.ReadAllBytesAsync(_temp.Combine("there.msg")), Keyring = keyring });
            Assert.Equal(theirs, opened.Plaintext.ToArray());
            Assert.Equal("值 😀", opened.EncryptionContext["ünïcödé"]);
            await app.StopAsync();
        }
    }

    [SkippableFact]
    public async Task The_JavaScript_SDK_s_discovery_and_MRK_aware_keyrings_and_Vaultlib_s_exchange_messages_through_the_endpoint()
    {
        RequireJavaScriptSdk();
        const string AccessKey = "AKIAESDKJSMRK0000001", Secret = "esdk-js-mrk-secret-000000000000000000000";
        WebApplication app = VaultlibServer.Build(["--urls", "http://127.0.0.1:0", "--access-key-id", AccessKey, "--secret-access-key", Secret]);
        await app.StartAsync();
        await using (app)
        {
            string endpoint = LocalEndpoint.Address(app).GetLeftPart(UriPartial.Authority);
            VaultlibHost host = app.Services.GetRequiredService<VaultlibHost>();
            string eastArn = (await host.GetKeyService("us-east-1").CreateKeyAsync(new CreateKeyRequest { MultiRegion = true })).KeyMetadata.Arn;
            string westArn = (await host.GetKeyService("us-east-1").ReplicateKeyAsync(new ReplicateKeyRequest { KeyId = eastArn, ReplicaRegion = "us-west-2" })).ReplicaKeyMetadata.Arn;
            string account = eastArn.Split(':')[4];

            // Vaultlib's keyrings call KMS through the AWS SDK for .NET over HTTP, as they would call AWS.
            AmazonKmsKeyringClient Client(string region) => new(new Amazon.KeyManagementService.AmazonKeyManagementServiceClient(
                new Amazon.Runtime.BasicAWSCredentials(AccessKey, Secret),
                new Amazon.KeyManagementService.AmazonKeyManagementServiceConfig { ServiceURL = endpoint, AuthenticationRegion = region, MaxErrorRetry = 0 }));
            object Js(string type, string region, string? keyId = null, string? filterAccount = null) => new
            {
                type, region, keyId, endpoint, accessKeyId = AccessKey, secretAccessKey = Secret, grantTokens = new[] { "interop-token" },
                discoveryFilter = filterAccount is null ? null : new { partition = "aws", accountIDs = new[] { filterAccount } },
            };

            var encryptor = new EnvelopeEncryptor();
            byte[] ours = RandomNumberGenerator.GetBytes(4000), theirs = RandomNumberGenerator.GetBytes(4000);
            EncryptOutput sealedHere = await encryptor.EncryptAsync(new EncryptInput { Plaintext = ours, Keyring = new AwsKmsMrkKeyring(eastArn, Client("us-east-1"), ["interop-token"]), EncryptionContext = _context });
            await File.WriteAllBytesAsync(_temp.Combine("here.msg"), sealedHere.Ciphertext.ToArray());
            await File.WriteAllBytesAsync(_temp.Combine("theirs.txt"), theirs);

            JsonElement[] results = await RunNode([
                new { op = "encrypt", keyring = Js("kms-mrk", "us-east-1", eastArn), input = _temp.Combine("theirs.txt"), output = _temp.Combine("there.msg"), encryptionContext = _context },
                new { op = "decrypt", keyring = Js("kms-mrk", "us-west-2", westArn), input = _temp.Combine("here.msg"), output = _temp.Combine("mrk.out") },
                new { op = "decrypt", keyring = Js("kms-mrk-discovery", "us-west-2", filterAccount: account), input = _temp.Combine("here.msg"), output = _temp.Combine("mrk-discovery.out") },
                new { op = "decrypt", keyring = Js("kms-discovery", "us-east-1", filterAccount: account), input = _temp.Combine("here.msg"), output = _temp.Combine("discovery.out") },
                new { op = "decrypt", keyring = Js("kms-discovery", "us-east-1", filterAccount: "999999999999"), input = _temp.Combine("here.msg"), output = _temp.Combine("filtered.out") },
            ]);

            Assert.All(results[..4], r => Assert.True(r.GetProperty("ok").GetBoolean(), r.ToString()));
            Assert.False(results[4].GetProperty("ok").GetBoolean(), "a discovery filter naming another account must not decrypt");
            foreach (string output in new[] { "mrk.out", "mrk-discovery.out", "discovery.out" })
            {
                Assert.Equal(ours, await File.ReadAllBytesAsync(_temp.Combine(output)));
            }

            byte[] there = await File.ReadAllBytesAsync(_temp.Combine("there.msg"));
            var filter = new DiscoveryFilter { Partition = "aws", AccountIds = [account] };
            foreach (IKeyring keyring in new IKeyring[]
            {
                new AwsKmsMrkKeyring(westArn, Client("us-west-2")),
                new AwsKmsMrkDiscoveryKeyring(Client("us-west-2"), "us-west-2", filter),
                new AwsKmsDiscoveryKeyring(Client("us-east-1"), filter),
                new AwsKmsKeyring(eastArn, Client("us-east-1")),
            })
            {
                DecryptOutput opened = await encryptor.DecryptAsync(new DecryptInput { Ciphertext = there, Keyring = keyring, EncryptionContext = _context });
                Assert.Equal(theirs, opened.Plaintext.ToArray());
            }

            await Assert.ThrowsAsync<CannotUnwrapDataKeyException>(async () => await encryptor.DecryptAsync(new DecryptInput { Ciphertext = there, Keyring = new AwsKmsKeyring(westArn, Client("us-west-2")) }));
            await app.StopAsync();
        }
    }

    [SkippableFact]
    public async Task The_JavaScript_SDK_s_hierarchical_keyring_and_Vaultlib_s_unwrap_each_other_s_data_keys()
    {
        RequireJavaScriptSdk();
        byte[] branchKey = RandomNumberGenerator.GetBytes(32);
        string branchKeyId = "tenant-ünï", version = Guid.NewGuid().ToString();
        var store = new FixedBranchKeyStore(branchKeyId, version, branchKey);
        var keyring = new AwsKmsHierarchicalKeyring(store, branchKeyId, null, TimeSpan.FromMinutes(1));
        var descriptor = new { type = "hierarchy", branchKeyId, version, branchKeyBase64 = Convert.ToBase64String(branchKey), logicalKeyStoreName = "interop" };
        var encryptor = new EnvelopeEncryptor(new EnvelopeEncryptorOptions { CommitmentPolicy = CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT });
        var jobs = new List<object>();
        var ours = new List<(string Output, byte[] Plaintext)>();
        var theirs = new List<(string Message, byte[] Plaintext)>();
        foreach (AlgorithmSuite suite in new[] { AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384, AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, AlgorithmSuite.AES_128_GCM_IV12_TAG16_HKDF_SHA256 })
        {
            byte[] plaintext = RandomNumberGenerator.GetBytes(3000);
            string name = $"h-{suite.Id:x4}";
            var legacy = new EnvelopeEncryptor(new EnvelopeEncryptorOptions { CommitmentPolicy = suite.IsCommitting ? CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT : CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT });
            byte[] message = legacy.Encrypt(new EncryptInput { Plaintext = plaintext, Keyring = keyring, AlgorithmSuiteId = suite, EncryptionContext = _context }).Ciphertext.ToArray();
            await File.WriteAllBytesAsync(_temp.Combine(name + ".msg"), message);
            await File.WriteAllBytesAsync(_temp.Combine(name + ".in"), plaintext);
            jobs.Add(new { op = "decrypt", keyring = descriptor, input = _temp.Combine(name + ".msg"), output = _temp.Combine(name + ".out") });
            jobs.Add(new
            {
                op = "encrypt", keyring = descriptor, input = _temp.Combine(name + ".in"), output = _temp.Combine(name + ".js.msg"), suiteId = suite.Id, encryptionContext = _context,
                policy = suite.IsCommitting ? "REQUIRE_ENCRYPT_ALLOW_DECRYPT" : "FORBID_ENCRYPT_ALLOW_DECRYPT",
            });
            ours.Add((_temp.Combine(name + ".out"), plaintext));
            theirs.Add((_temp.Combine(name + ".js.msg"), plaintext));
        }

        JsonElement[] results = await RunNode(jobs);

        Assert.All(results, r => Assert.True(r.GetProperty("ok").GetBoolean(), r.ToString()));
        foreach ((string output, byte[] plaintext) in ours)
        {
            Assert.Equal(plaintext, await File.ReadAllBytesAsync(output));
        }

        foreach ((string message, byte[] plaintext) in theirs)
        {
            byte[] bytes = await File.ReadAllBytesAsync(message);
            Assert.Equal("aws-kms-hierarchy", EnvelopeEncryptor.ParseHeader(bytes).EncryptedDataKeys.Single().KeyProviderId);
            Assert.Equal(plaintext, encryptor.Decrypt(new DecryptInput { Ciphertext = bytes, Keyring = keyring, EncryptionContext = _context }).Plaintext.ToArray());
        }
    }

    /// <summary>A key store with one branch key version, to hand the JavaScript SDK the same key.</summary>
    private sealed class FixedBranchKeyStore(string id, string version, byte[] key) : IBranchKeyStore
    {
        public Task<BranchKeyMaterials> GetActiveBranchKeyAsync(string branchKeyIdentifier, CancellationToken cancellationToken = default) =>
            Task.FromResult(new BranchKeyMaterials(id, version, new Dictionary<string, string>(), key));

        public Task<BranchKeyMaterials> GetBranchKeyVersionAsync(string branchKeyIdentifier, string branchKeyVersion, CancellationToken cancellationToken = default) =>
            branchKeyVersion == version ? GetActiveBranchKeyAsync(branchKeyIdentifier, cancellationToken) : throw new BranchKeyStoreException($"no version {branchKeyVersion}");
    }

    private async Task<JsonElement[]> RunNode(List<object> jobs)
    {
        string interop = Path.Combine(RequiredPart.RepositoryRoot(), "tests", "interop", "esdk-js");
        string jobsPath = _temp.Combine("jobs.json");
        await File.WriteAllTextAsync(jobsPath, JsonSerializer.Serialize(jobs));
        var start = new ProcessStartInfo("node") { WorkingDirectory = interop, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("interop.js");
        start.ArgumentList.Add(jobsPath);
        using Process process = Process.Start(start)!;
        string errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"node exited with {process.ExitCode}: {errors}");
        using JsonDocument results = JsonDocument.Parse(await File.ReadAllBytesAsync(jobsPath + ".results.json"));
        return [.. results.RootElement.EnumerateArray().Select(e => e.Clone())];
    }
}
