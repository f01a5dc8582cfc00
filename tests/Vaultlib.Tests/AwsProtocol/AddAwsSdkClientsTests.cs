using System.Text;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Microsoft.Extensions.DependencyInjection;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.AwsProtocol;

public sealed class AddAwsSdkClientsTests
{
    [Fact]
    public async Task AddAwsSdkClients_registers_the_SDK_s_KMS_and_SSM_clients_over_the_container_s_Vaultlib()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(TestData.NewClock());
        services.AddVaultlib(o => o.Region = "eu-west-1").AddAwsSdkClients();
        await using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        IAmazonKeyManagementService kms = provider.GetRequiredService<IAmazonKeyManagementService>();
        string keyId = (await kms.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata.KeyId;
        byte[] ciphertext = (await kms.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = new MemoryStream(Encoding.UTF8.GetBytes("di")) })).CiphertextBlob.ToArray();

        // The same key through Vaultlib's own interface, in the same Region: the fake clock is the container's.
        Vaultlib.Keys.IKeyService own = provider.GetRequiredService<Vaultlib.Keys.IKeyService>();
        Vaultlib.Keys.DecryptResponse decrypted = await own.DecryptAsync(new Vaultlib.Keys.DecryptRequest { CiphertextBlob = ciphertext });
        Assert.Equal("di", Encoding.UTF8.GetString(decrypted.Plaintext.Span));
        Assert.Equal(TestData.Epoch, (await own.DescribeKeyAsync(new Vaultlib.Keys.DescribeKeyRequest { KeyId = keyId })).KeyMetadata.CreationDate);
        Assert.StartsWith("arn:aws:kms:eu-west-1:", decrypted.KeyId, StringComparison.Ordinal);

        IAmazonSimpleSystemsManagement ssm = provider.GetRequiredService<IAmazonSimpleSystemsManagement>();
        await ssm.PutParameterAsync(new PutParameterRequest { Name = "/di/name", Value = "v", Type = ParameterType.String });
        Assert.Equal("v", (await provider.GetRequiredService<Vaultlib.Parameters.IParameterStore>().GetParameterAsync(new Vaultlib.Parameters.GetParameterRequest { Name = "/di/name" })).Parameter.Value);
    }
}
