using System.Text;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Vaultlib.AwsProtocol;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.AwsProtocol;

/// <summary>The real AWS SDK for .NET clients, unchanged, talking to Vaultlib through the in-process handler: AWS's types, exceptions and signatures.</summary>
public sealed class InProcessSdkTests : IDisposable
{
    private const string AccessKey = "AKIAVAULTLIBTEST0001";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYVAULTLIBKEY";
    private readonly VaultlibHost _host = new();
    private readonly AwsCredentials _credentials = new AwsCredentials().Add(AccessKey, Secret, "arn:aws:iam::111122223333:user/alice");

    public InProcessSdkTests() =>
        _host.IdentityPolicies.Set("arn:aws:iam::111122223333:user/alice", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:*","ssm:*"],"Resource":"*"}]}""");

    private T Client<T>(Func<AWSCredentials, ClientConfig, T> make, ClientConfig config, string secret = Secret)
    {
        config.HttpClientFactory = new VaultlibHttpClientFactory(new VaultlibAwsMessageHandler(new AwsJsonEndpoint(_host), _credentials));
        config.MaxErrorRetry = 0;
        return make(new BasicAWSCredentials(AccessKey, secret), config);
    }

    private AmazonKeyManagementServiceClient Kms(string secret = Secret) =>
        Client((c, config) => new AmazonKeyManagementServiceClient(c, (AmazonKeyManagementServiceConfig)config), new AmazonKeyManagementServiceConfig { ServiceURL = "https://kms.us-east-1.amazonaws.com", AuthenticationRegion = "us-east-1" }, secret);

    [Fact]
    public async Task The_KMS_client_creates_encrypts_and_decrypts_with_AWS_s_types()
    {
        using AmazonKeyManagementServiceClient kms = Kms();
        CreateKeyResponse created = await kms.CreateKeyAsync(new CreateKeyRequest { Description = "sdk", Tags = [new Amazon.KeyManagementService.Model.Tag { TagKey = "team", TagValue = "web" }] });
        Assert.StartsWith("arn:aws:kms:us-east-1:111122223333:key/", created.KeyMetadata.Arn, StringComparison.Ordinal);
        Assert.Equal(KeyState.Enabled, created.KeyMetadata.KeyState);
        Assert.Equal("sdk", created.KeyMetadata.Description);

        using var plaintext = new MemoryStream(Encoding.UTF8.GetBytes("hello through the AWS SDK"));
        EncryptResponse encrypted = await kms.EncryptAsync(new EncryptRequest { KeyId = created.KeyMetadata.KeyId, Plaintext = plaintext, EncryptionContext = new() { ["purpose"] = "test" } });
        Assert.Equal(created.KeyMetadata.Arn, encrypted.KeyId);
        DecryptResponse decrypted = await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = encrypted.CiphertextBlob, EncryptionContext = new() { ["purpose"] = "test" } });
        Assert.Equal("hello through the AWS SDK", Encoding.UTF8.GetString(decrypted.Plaintext.ToArray()));

        // What Vaultlib's own API made, the SDK reads, and back.
        Assert.Equal("sdk", (await _host.Keys.DescribeKeyAsync(new Vaultlib.Keys.DescribeKeyRequest { KeyId = created.KeyMetadata.KeyId })).KeyMetadata.Description);
        GenerateDataKeyResponse dataKey = await kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = created.KeyMetadata.KeyId, KeySpec = DataKeySpec.AES_256 });
        Assert.Equal(32, dataKey.Plaintext.Length);

        // Paginators work.
        var keys = new List<string>();
        await foreach (KeyListEntry key in kms.Paginators.ListKeys(new ListKeysRequest { Limit = 1 }).Keys)
        {
            keys.Add(key.KeyId);
        }

        Assert.Contains(created.KeyMetadata.KeyId, keys);
    }

    [Fact]
    public async Task KMS_errors_reach_the_SDK_as_its_own_exception_types()
    {
        using AmazonKeyManagementServiceClient kms = Kms();
        NotFoundException missing = await Assert.ThrowsAsync<NotFoundException>(() => kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "1234abcd-12ab-34cd-56ef-1234567890ab" }));
        Assert.Equal("NotFoundException", missing.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.False(string.IsNullOrEmpty(missing.RequestId));
        string keyId = (await kms.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata.KeyId;
        await kms.DisableKeyAsync(new DisableKeyRequest { KeyId = keyId });
        await Assert.ThrowsAsync<DisabledException>(() => kms.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = new MemoryStream([1]) }));
    }

    [Fact]
    public async Task The_caller_is_the_principal_its_access_key_stands_for()
    {
        _host.IdentityPolicies.Set("arn:aws:iam::111122223333:user/alice", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:ListKeys","Resource":"*"}]}""");
        using AmazonKeyManagementServiceClient kms = Kms();
        await kms.ListKeysAsync(new ListKeysRequest());
        AmazonKeyManagementServiceException denied = await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(() => kms.CreateKeyAsync(new CreateKeyRequest()));
        Assert.Equal("AccessDeniedException", denied.ErrorCode);
        Assert.Contains("arn:aws:iam::111122223333:user/alice", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_signed_with_the_wrong_secret_or_an_unknown_key_is_refused()
    {
        using AmazonKeyManagementServiceClient wrong = Kms("not-the-secret");
        AmazonKeyManagementServiceException refused = await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(() => wrong.ListKeysAsync(new ListKeysRequest()));
        Assert.Equal("InvalidSignatureException", refused.ErrorCode);
    }

    [Fact]
    public async Task The_SSM_client_puts_and_gets_a_SecureString()
    {
        using var ssm = Client((c, config) => new AmazonSimpleSystemsManagementClient(c, (AmazonSimpleSystemsManagementConfig)config), new AmazonSimpleSystemsManagementConfig { ServiceURL = "https://ssm.us-east-1.amazonaws.com", AuthenticationRegion = "us-east-1" });
        await ssm.PutParameterAsync(new PutParameterRequest { Name = "/app/db/password", Value = "s3cr3t", Type = ParameterType.SecureString });
        GetParametersResponse got = await ssm.GetParametersAsync(new GetParametersRequest { Names = ["/app/db/password", "/app/missing"], WithDecryption = true });
        Amazon.SimpleSystemsManagement.Model.Parameter parameter = Assert.Single(got.Parameters);
        Assert.Equal("s3cr3t", parameter.Value);
        Assert.Equal(ParameterType.SecureString, parameter.Type);
        Assert.Equal(1, parameter.Version);
        Assert.Equal(["/app/missing"], got.InvalidParameters);
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => ssm.GetParameterAsync(new GetParameterRequest { Name = "/app/missing" }));

        // AWS's enum strings that are not C# names travel as AWS writes them.
        PutParameterResponse tiered = await ssm.PutParameterAsync(new PutParameterRequest { Name = "/app/tiered", Value = "v", Type = ParameterType.String, Tier = ParameterTier.IntelligentTiering });
        Assert.Equal(ParameterTier.Standard, tiered.Tier);
    }

    public void Dispose() => _host.Dispose();
}
