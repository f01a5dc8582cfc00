using System.Security.Cryptography;
using System.Text;
using Amazon.KeyManagementService;
using Microsoft.Extensions.DependencyInjection;
using Vaultlib.AwsProtocol;
using Vaultlib.Envelope;
using Vaultlib.Keys;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Envelope.Keyrings;

/// <summary>
/// The AWS KMS keyrings of the Material Providers Library: the single-key keyring, discovery with its filter, the
/// multi-Region-aware keyring and MRK discovery, over Vaultlib's key service and over the AWS SDK's KMS client, with
/// grant tokens on every call and every check of KMS's answers.
/// </summary>
public sealed class AwsKmsKeyringTests : IDisposable
{
    private const string East = "us-east-1", West = "us-west-2";
    private static readonly Dictionary<string, string> s_context = new() { ["tenant"] = "acme", ["purpose"] = "keyrings" };
    private readonly VaultlibHost _host = new(timeProvider: TestData.NewClock());
    private readonly EnvelopeEncryptor _encryptor = new();

    public void Dispose() => _host.Dispose();

    private KeyServiceKeyringClient Client(string region) => new(_host.GetKeyService(region));

    private async Task<string> NewKeyAsync(string region = East, bool multiRegion = false) =>
        (await _host.GetKeyService(region).CreateKeyAsync(new CreateKeyRequest { MultiRegion = multiRegion })).KeyMetadata.Arn;

    private async Task<byte[]> EncryptAsync(IKeyring keyring, byte[] plaintext) =>
        (await _encryptor.EncryptAsync(new EncryptInput { Plaintext = plaintext, Keyring = keyring, EncryptionContext = s_context })).Ciphertext.ToArray();

    private async Task<DecryptOutput> DecryptAsync(IKeyring keyring, byte[] message) =>
        await _encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, Keyring = keyring, EncryptionContext = s_context });

    [Fact]
    public async Task The_KMS_keyring_generates_under_its_key_and_decrypts_only_what_names_its_key_ARN()
    {
        string arn = await NewKeyAsync();
        var recording = new RecordingKmsClient(Client(East));
        byte[] plaintext = RandomNumberGenerator.GetBytes(3000);

        byte[] message = await EncryptAsync(new AwsKmsKeyring(arn, recording), plaintext);
        DecryptOutput opened = await DecryptAsync(new AwsKmsKeyring(arn, recording), message);

        Assert.Equal(plaintext, opened.Plaintext.ToArray());
        EncryptedDataKey edk = Assert.Single(opened.Header!.EncryptedDataKeys);
        Assert.Equal("aws-kms", edk.KeyProviderId);
        Assert.Equal(arn, Encoding.UTF8.GetString(edk.KeyProviderInfo.Span));
        Assert.Equal(edk, opened.DecryptedDataKey);
        GenerateDataKeyRequest generate = Assert.IsType<GenerateDataKeyRequest>(recording.Requests[0]);
        Assert.Equal((arn, 32), (generate.KeyId, generate.NumberOfBytes));
        Assert.Equal("acme", generate.EncryptionContext!["tenant"]);
        Assert.Equal(arn, Assert.Single(recording.Decrypts).KeyId);

        // Configured by alias or key id, it encrypts, but by the specification decrypts only an exact ARN match.
        string keyId = arn[(arn.LastIndexOf('/') + 1)..];
        await _host.GetKeyService(East).CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/keyrings", TargetKeyId = keyId });
        byte[] byAlias = await EncryptAsync(new AwsKmsKeyring("alias/keyrings", Client(East)), plaintext);
        Assert.Equal(arn, Encoding.UTF8.GetString(EnvelopeEncryptor.ParseHeader(byAlias).EncryptedDataKeys[0].KeyProviderInfo.Span));
        await Assert.ThrowsAsync<CannotUnwrapDataKeyException>(() => DecryptAsync(new AwsKmsKeyring(keyId, Client(East)), byAlias));
        Assert.Equal(plaintext, (await DecryptAsync(new AwsKmsKeyring(arn, Client(East)), byAlias)).Plaintext.ToArray());
    }

    [Fact]
    public async Task A_second_KMS_keyring_encrypts_a_copy_and_either_key_decrypts()
    {
        string first = await NewKeyAsync(), second = await NewKeyAsync();
        var recording = new RecordingKmsClient(Client(East));
        var keyring = new MultiKeyring(new AwsKmsKeyring(first, recording), [new AwsKmsKeyring(second, recording)]);
        byte[] plaintext = RandomNumberGenerator.GetBytes(100);

        byte[] message = await EncryptAsync(keyring, plaintext);

        Assert.Equal([typeof(GenerateDataKeyRequest), typeof(EncryptRequest)], recording.Requests.Select(r => r.GetType()));
        Assert.Equal(second, ((EncryptRequest)recording.Requests[1]).KeyId);
        Assert.Equal(plaintext, (await DecryptAsync(new AwsKmsKeyring(second, Client(East)), message)).Plaintext.ToArray());
        Assert.Equal(plaintext, (await DecryptAsync(new AwsKmsKeyring(first, Client(East)), message)).Plaintext.ToArray());
    }

    [Fact]
    public async Task Grant_tokens_go_with_every_KMS_call_and_KMS_checks_them()
    {
        string arn = await NewKeyAsync();
        var recording = new RecordingKmsClient(Client(East));
        string[] tokens = ["grant-token-1", "grant-token-2"];
        var keyring = new MultiKeyring(new AwsKmsKeyring(arn, recording, tokens), [new AwsKmsMrkKeyring(arn, recording, tokens)]);

        byte[] message = await EncryptAsync(keyring, [1, 2, 3]);
        await DecryptAsync(new AwsKmsDiscoveryKeyring(recording, null, tokens), message);
        await DecryptAsync(new AwsKmsMrkDiscoveryKeyring(recording, East, null, tokens), message);

        Assert.Equal(4, recording.Requests.Count);
        Assert.All(recording.Requests, r => Assert.Equal(tokens, r switch
        {
            GenerateDataKeyRequest g => g.GrantTokens,
            EncryptRequest e => e.GrantTokens,
            DecryptRequest d => d.GrantTokens,
            _ => null,
        }));
        string[] tooMany = [.. Enumerable.Range(0, 11).Select(i => $"token-{i}")];
        var refused = await Assert.ThrowsAsync<Vaultlib.Keys.ValidationException>(() => EncryptAsync(new AwsKmsKeyring(arn, Client(East), tooMany), [1]));
        Assert.Contains("grantTokens", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_discovery_keyring_cannot_encrypt_and_decrypts_only_under_keys_its_filter_allows()
    {
        string arn = await NewKeyAsync();
        byte[] message = await EncryptAsync(new AwsKmsKeyring(arn, Client(East)), [42]);
        var recording = new RecordingKmsClient(Client(East));

        await Assert.ThrowsAsync<MaterialProvidersException>(() => EncryptAsync(new AwsKmsDiscoveryKeyring(Client(East)), [1]));
        Assert.Equal([42], (await DecryptAsync(new AwsKmsDiscoveryKeyring(recording), message)).Plaintext.ToArray());
        Assert.Equal(arn, Assert.Single(recording.Decrypts).KeyId);
        Assert.Equal([42], (await DecryptAsync(new AwsKmsDiscoveryKeyring(Client(East), new DiscoveryFilter { Partition = "aws", AccountIds = ["999999999999", "111122223333"] }), message)).Plaintext.ToArray());

        recording.Requests.Clear();
        foreach (DiscoveryFilter filter in new[]
        {
            new DiscoveryFilter { Partition = "aws", AccountIds = ["999999999999"] },
            new DiscoveryFilter { Partition = "aws-cn", AccountIds = ["111122223333"] },
        })
        {
            var none = await Assert.ThrowsAsync<CannotUnwrapDataKeyException>(() => DecryptAsync(new AwsKmsDiscoveryKeyring(recording, filter), message));
            Assert.Contains("0 matched", none.Message, StringComparison.Ordinal);
        }

        Assert.Empty(recording.Requests);
        Assert.Throws<ArgumentException>(() => new AwsKmsDiscoveryKeyring(Client(East), new DiscoveryFilter { Partition = "aws", AccountIds = [] }));
        Assert.Throws<ArgumentException>(() => new AwsKmsDiscoveryKeyring(Client(East), new DiscoveryFilter { Partition = "", AccountIds = ["1"] }));
        Assert.Throws<ArgumentException>(() => new AwsKmsDiscoveryKeyring(Client(East), new DiscoveryFilter { Partition = "aws", AccountIds = [""] }));
    }

    [Fact]
    public async Task A_multi_Region_key_s_message_decrypts_with_its_replica_through_the_MRK_keyrings_only()
    {
        string eastArn = await NewKeyAsync(East, multiRegion: true);
        ReplicateKeyResponse replica = await _host.GetKeyService(East).ReplicateKeyAsync(new ReplicateKeyRequest { KeyId = eastArn, ReplicaRegion = West });
        string westArn = replica.ReplicaKeyMetadata.Arn;
        Assert.Equal(eastArn.Replace(East, West, StringComparison.Ordinal), westArn);
        byte[] plaintext = RandomNumberGenerator.GetBytes(500);
        byte[] message = await EncryptAsync(new AwsKmsMrkKeyring(eastArn, Client(East)), plaintext);

        var west = new RecordingKmsClient(Client(West));
        Assert.Equal(plaintext, (await DecryptAsync(new AwsKmsMrkKeyring(westArn, west), message)).Plaintext.ToArray());
        Assert.Equal(westArn, Assert.Single(west.Decrypts).KeyId);
        Assert.Equal(plaintext, (await DecryptAsync(new AwsKmsMrkDiscoveryKeyring(west, West), message)).Plaintext.ToArray());
        Assert.Equal(westArn, west.Decrypts.Last().KeyId);

        // Not MRK-aware: the west ARN is not the east ARN, and the plain discovery keyring calls the west client with the east ARN.
        await Assert.ThrowsAsync<CannotUnwrapDataKeyException>(() => DecryptAsync(new AwsKmsKeyring(westArn, Client(West)), message));
        var discovered = await Assert.ThrowsAsync<CannotUnwrapDataKeyException>(() => DecryptAsync(new AwsKmsDiscoveryKeyring(Client(West)), message));
        Assert.IsAssignableFrom<KeyManagementException>(Assert.Single(Assert.IsType<AggregateException>(discovered.InnerException).InnerExceptions));
    }

    [Fact]
    public async Task The_MRK_discovery_keyring_tries_a_single_Region_key_only_in_its_own_Region()
    {
        string eastKey = await NewKeyAsync(East);
        byte[] message = await EncryptAsync(new AwsKmsKeyring(eastKey, Client(East)), [7]);
        var west = new RecordingKmsClient(Client(West));

        await Assert.ThrowsAsync<CannotUnwrapDataKeyException>(() => DecryptAsync(new AwsKmsMrkDiscoveryKeyring(west, West), message));
        Assert.Empty(west.Requests);
        Assert.Equal([7], (await DecryptAsync(new AwsKmsMrkDiscoveryKeyring(Client(East), East), message)).Plaintext.ToArray());
        await Assert.ThrowsAsync<MaterialProvidersException>(() => EncryptAsync(new AwsKmsMrkDiscoveryKeyring(Client(East), East), [1]));
        Assert.Throws<ArgumentException>(() => new AwsKmsMrkDiscoveryKeyring(Client(East), West));
        Assert.Throws<ArgumentException>(() => new AwsKmsMrkDiscoveryKeyring(Client(East), ""));
        await Assert.ThrowsAsync<CannotUnwrapDataKeyException>(() => DecryptAsync(
            new AwsKmsMrkDiscoveryKeyring(Client(East), East, new DiscoveryFilter { Partition = "aws", AccountIds = ["999999999999"] }), message));
    }

    [Fact]
    public async Task KMS_answers_that_fail_the_checks_are_refused()
    {
        string arn = await NewKeyAsync(), other = await NewKeyAsync();
        byte[] message = await EncryptAsync(new AwsKmsKeyring(arn, Client(East)), [9]);

        var wrongKey = new RecordingKmsClient(Client(East)) { RewriteDecrypt = r => r with { KeyId = other } };
        var refused = await Assert.ThrowsAsync<CannotUnwrapDataKeyException>(() => DecryptAsync(new AwsKmsKeyring(arn, wrongKey), message));
        Assert.IsType<MaterialProvidersException>(Assert.Single(Assert.IsType<AggregateException>(refused.InnerException).InnerExceptions));

        var shortKey = new RecordingKmsClient(Client(East)) { RewriteDecrypt = r => r with { Plaintext = r.Plaintext[..16] } };
        var shortRefused = await Assert.ThrowsAsync<CannotUnwrapDataKeyException>(() => DecryptAsync(new AwsKmsDiscoveryKeyring(shortKey), message));
        var shortError = Assert.IsType<MaterialProvidersException>(Assert.Single(Assert.IsType<AggregateException>(shortRefused.InnerException).InnerExceptions));
        Assert.Contains("returned a 16-byte data key", shortError.Message, StringComparison.Ordinal); // the keyring's own check, not the materials'
        Assert.Contains("encrypted data keys (1 matched it; 1 failed: ", shortRefused.Message, StringComparison.Ordinal);

        var shortGenerated = new RecordingKmsClient(Client(East)) { RewriteGenerate = r => r with { Plaintext = r.Plaintext[..16] } };
        await Assert.ThrowsAsync<MaterialProvidersException>(() => EncryptAsync(new AwsKmsKeyring(arn, shortGenerated), [1]));

        var aliasAnswer = new RecordingKmsClient(Client(East)) { RewriteGenerate = r => r with { KeyId = "arn:aws:kms:us-east-1:111122223333:alias/x" } };
        Assert.Contains("KMS GenerateDataKey answered with KeyId", (await Assert.ThrowsAsync<MaterialProvidersException>(() => EncryptAsync(new AwsKmsKeyring(arn, aliasAnswer), [1]))).Message, StringComparison.Ordinal);

        var badEncrypt = new RecordingKmsClient(Client(East)) { RewriteEncrypt = r => r with { KeyId = "not-an-arn" } };
        Assert.Contains("KMS Encrypt answered with KeyId 'not-an-arn'", (await Assert.ThrowsAsync<MaterialProvidersException>(() => EncryptAsync(new MultiKeyring(new AwsKmsKeyring(arn, Client(East)), [new AwsKmsKeyring(other, badEncrypt)]), [1]))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_aws_kms_key_whose_provider_info_is_not_a_key_ARN_fails_the_keyring_but_not_a_multi_keyring()
    {
        string arn = await NewKeyAsync();
        var forged = new EncryptedDataKey { KeyProviderId = "aws-kms", KeyProviderInfo = "arn:aws:kms:us-east-1:111122223333:alias/forged"u8.ToArray(), Ciphertext = new byte[10] };
        var materials = new DecryptionMaterials(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, new Dictionary<string, string>());

        await Assert.ThrowsAsync<MaterialProvidersException>(() => new AwsKmsDiscoveryKeyring(Client(East)).OnDecryptAsync(materials, [forged]).AsTask());
        var notUtf8 = forged with { KeyProviderInfo = new byte[] { 0xC3, 0x28 } };
        Assert.Equal("An aws-kms encrypted data key's provider info is not UTF-8.", (await Assert.ThrowsAsync<MaterialProvidersException>(() => new AwsKmsKeyring(arn, Client(East)).OnDecryptAsync(materials, [notUtf8]).AsTask())).Message);

        // A multi-keyring collects the failure and goes on to a keyring that opens a key.
        var aes = new RawAesKeyring("ns", "k", RandomNumberGenerator.GetBytes(32));
        byte[] message = await EncryptAsync(new MultiKeyring(aes, [new AwsKmsKeyring(arn, Client(East))]), [5]);
        Assert.Equal([5], (await DecryptAsync(new MultiKeyring(null, [new AwsKmsDiscoveryKeyring(Client(West)), aes]), message)).Plaintext.ToArray());
        var none = await Assert.ThrowsAsync<CannotUnwrapDataKeyException>(() => DecryptAsync(new MultiKeyring(null, [new AwsKmsDiscoveryKeyring(Client(West))]), message));
        Assert.IsType<CannotUnwrapDataKeyException>(Assert.Single(Assert.IsType<AggregateException>(none.InnerException).InnerExceptions));
    }

    [Fact]
    public async Task Keyrings_that_must_not_be_asked_twice_refuse_materials_that_hold_a_key_and_the_MRK_keyring_returns_them()
    {
        string arn = await NewKeyAsync();
        var materials = new DecryptionMaterials(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, new Dictionary<string, string>());
        materials.SetPlaintextDataKey(new byte[32]);
        var recording = new RecordingKmsClient(Client(East));

        await Assert.ThrowsAsync<MaterialProvidersException>(() => new AwsKmsKeyring(arn, recording).OnDecryptAsync(materials, []).AsTask());
        await Assert.ThrowsAsync<MaterialProvidersException>(() => new AwsKmsDiscoveryKeyring(recording).OnDecryptAsync(materials, []).AsTask());
        await Assert.ThrowsAsync<MaterialProvidersException>(() => new AwsKmsMrkDiscoveryKeyring(recording, East).OnDecryptAsync(materials, []).AsTask());
        await new AwsKmsMrkKeyring(arn, recording).OnDecryptAsync(materials, []);
        Assert.Empty(recording.Requests);
    }

    [Fact]
    public async Task Every_copy_of_a_data_key_the_keyring_handled_is_zeroed()
    {
        string arn = await NewKeyAsync(), second = await NewKeyAsync();
        var answers = new List<byte[]>();
        var recording = new RecordingKmsClient(Client(East))
        {
            RewriteGenerate = r => Keep(answers, r.Plaintext, p => r with { Plaintext = p }),
            RewriteDecrypt = r => Keep(answers, r.Plaintext, p => r with { Plaintext = p }),
        };

        byte[] message = await EncryptAsync(new MultiKeyring(new AwsKmsKeyring(arn, recording), [new AwsKmsKeyring(second, recording)]), [1, 2, 3]);
        await DecryptAsync(new AwsKmsKeyring(arn, recording), message);

        Assert.Equal(2, answers.Count); // GenerateDataKey's plaintext and Decrypt's plaintext
        Assert.All(answers, a => Assert.All(a, b => Assert.Equal(0, b)));
        byte[] sentToEncrypt = recording.Requests.OfType<EncryptRequest>().Single().Plaintext.ToArray();
        Assert.Equal(32, sentToEncrypt.Length);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(recording.Requests.OfType<EncryptRequest>().Single().Plaintext, out ArraySegment<byte> sent));
        Assert.All(sent, b => Assert.Equal(0, b)); // the copy the keyring made for Encrypt
    }

    private static T Keep<T>(List<byte[]> kept, ReadOnlyMemory<byte> plaintext, Func<byte[], T> with)
    {
        byte[] copy = plaintext.ToArray();
        kept.Add(copy);
        return with(copy);
    }

    [Fact]
    public async Task Null_arguments_are_refused_and_the_keyrings_name_their_configuration()
    {
        string arn = await NewKeyAsync();
        Assert.Throws<ArgumentNullException>(() => new AwsKmsKeyring(arn, null!));
        Assert.Throws<ArgumentNullException>(() => new AwsKmsDiscoveryKeyring(null!));
        Assert.Throws<ArgumentNullException>(() => new AwsKmsMrkDiscoveryKeyring(null!, East));
        await Assert.ThrowsAsync<ArgumentNullException>(() => new AwsKmsKeyring(arn, Client(East)).OnEncryptAsync(null!).AsTask());
        await Assert.ThrowsAsync<ArgumentNullException>(() => new AwsKmsMrkKeyring(arn, Client(East)).OnEncryptAsync(null!).AsTask());

        var filter = new DiscoveryFilter { Partition = "aws", AccountIds = ["111122223333", "444455556666"] };
        Assert.Equal($"AwsKmsKeyring({arn})", new AwsKmsKeyring(arn, Client(East)).ToString());
        Assert.Equal("AwsKmsDiscoveryKeyring(any account)", new AwsKmsDiscoveryKeyring(Client(East)).ToString());
        Assert.Equal("AwsKmsDiscoveryKeyring(aws: 111122223333, 444455556666)", new AwsKmsDiscoveryKeyring(Client(East), filter).ToString());
        Assert.Equal("AwsKmsMrkDiscoveryKeyring(us-east-1; aws: 111122223333, 444455556666)", new AwsKmsMrkDiscoveryKeyring(Client(East), East, filter).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("key/1234")]
    [InlineData("arn:aws:kms:us-east-1:1:key")]
    public void A_keyring_refuses_an_invalid_key_identifier(string keyId)
    {
        Assert.Throws<ArgumentException>(() => new AwsKmsKeyring(keyId, Client(East)));
        Assert.Throws<ArgumentException>(() => new AwsKmsMrkKeyring(keyId, Client(East)));
    }

    [Fact]
    public async Task Over_the_AWS_SDK_s_KMS_client_in_process_the_keyrings_exchange_messages_with_those_over_the_key_service()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(TestData.NewClock());
        services.AddVaultlib(o => o.Region = West).AddAwsSdkClients();
        await using ServiceProvider provider = services.BuildServiceProvider();
        IAmazonKeyManagementService sdk = provider.GetRequiredService<IAmazonKeyManagementService>();
        var viaSdk = new AmazonKmsKeyringClient(sdk);
        var viaService = new KeyServiceKeyringClient(provider.GetRequiredService<IKeyService>());
        Assert.Equal(West, viaSdk.Region);
        Assert.Equal(West, viaService.Region);
        string arn = (await provider.GetRequiredService<IKeyService>().CreateKeyAsync(new CreateKeyRequest { MultiRegion = true })).KeyMetadata.Arn;
        byte[] plaintext = RandomNumberGenerator.GetBytes(2000);

        byte[] sealedBySdk = await EncryptAsync(new AwsKmsMrkKeyring(arn, viaSdk, ["token"]), plaintext);
        byte[] sealedByService = await EncryptAsync(new AwsKmsKeyring(arn, viaService), plaintext);

        Assert.Equal(plaintext, (await DecryptAsync(new AwsKmsKeyring(arn, viaService), sealedBySdk)).Plaintext.ToArray());
        Assert.Equal(plaintext, (await DecryptAsync(new AwsKmsDiscoveryKeyring(viaSdk, new DiscoveryFilter { Partition = "aws", AccountIds = ["111122223333"] }), sealedByService)).Plaintext.ToArray());
        Assert.Equal(plaintext, (await DecryptAsync(new AwsKmsMrkDiscoveryKeyring(viaSdk, West), sealedByService)).Plaintext.ToArray());

        // KMS's refusals arrive as the SDK's exceptions, collected by the keyring.
        string other = (await provider.GetRequiredService<IKeyService>().CreateKeyAsync(new CreateKeyRequest())).KeyMetadata.Arn;
        await provider.GetRequiredService<IKeyService>().DisableKeyAsync(new DisableKeyRequest { KeyId = arn });
        var disabled = await Assert.ThrowsAsync<CannotUnwrapDataKeyException>(() => DecryptAsync(new AwsKmsKeyring(arn, viaSdk), sealedBySdk));
        Assert.IsType<Amazon.KeyManagementService.Model.DisabledException>(Assert.Single(Assert.IsType<AggregateException>(disabled.InnerException).InnerExceptions));
        await Assert.ThrowsAsync<Amazon.KeyManagementService.Model.DisabledException>(() => EncryptAsync(new AwsKmsKeyring(arn, viaSdk), plaintext));
        Assert.NotEmpty(await EncryptAsync(new AwsKmsKeyring(other, viaSdk), plaintext));
    }
}
