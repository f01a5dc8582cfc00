using System.Text;
using System.Text.Json;
using Vaultlib.AwsProtocol;

namespace Vaultlib.Tests.AwsProtocol;

/// <summary>The protocol layer on its own: AWS's JSON in and out, and AWS-shaped errors for what does not parse or route.</summary>
public sealed class AwsJsonEndpointTests : IDisposable
{
    private readonly VaultlibHost _host = new(timeProvider: TestSupport.TestData.NewClock());

    private Task<AwsJsonResponse> Call(string? target, string body) =>
        new AwsJsonEndpoint(_host).HandleAsync(new AwsJsonRequest { Target = target, Body = Encoding.UTF8.GetBytes(body), Region = "us-east-1" });

    private static (string Type, string Message) Error(AwsJsonResponse response)
    {
        using JsonDocument json = JsonDocument.Parse(response.Body);
        return (json.RootElement.GetProperty("__type").GetString()!, json.RootElement.GetProperty("message").GetString()!);
    }

    [Fact]
    public async Task Responses_use_AWS_s_member_names_base64_blobs_epoch_seconds_and_enum_strings()
    {
        AwsJsonResponse created = await Call("TrentService.CreateKey", """{"Description":"wire","KeySpec":"SYMMETRIC_DEFAULT","SomethingNew":1}""");
        Assert.Equal(200, created.StatusCode);
        using JsonDocument key = JsonDocument.Parse(created.Body);
        JsonElement metadata = key.RootElement.GetProperty("KeyMetadata");
        Assert.Equal("wire", metadata.GetProperty("Description").GetString());
        Assert.Equal("Enabled", metadata.GetProperty("KeyState").GetString());
        Assert.Equal(1767225600, metadata.GetProperty("CreationDate").GetDouble());
        Assert.False(metadata.TryGetProperty("DeletionDate", out _)); // absent, not null

        string keyId = metadata.GetProperty("KeyId").GetString()!;
        AwsJsonResponse encrypted = await Call("TrentService.Encrypt", $$"""{"KeyId":"{{keyId}}","Plaintext":"{{Convert.ToBase64String("wire"u8)}}"}""");
        using JsonDocument blob = JsonDocument.Parse(encrypted.Body);
        string ciphertext = blob.RootElement.GetProperty("CiphertextBlob").GetString()!;
        AwsJsonResponse decrypted = await Call("TrentService.Decrypt", $$"""{"CiphertextBlob":"{{ciphertext}}"}""");
        using JsonDocument plain = JsonDocument.Parse(decrypted.Body);
        Assert.Equal("wire", Encoding.UTF8.GetString(plain.RootElement.GetProperty("Plaintext").GetBytesFromBase64()));
        Assert.Equal("{}", Encoding.UTF8.GetString((await Call("TrentService.DisableKey", $$"""{"KeyId":"{{keyId}}"}""")).Body.Span));
    }

    [Fact]
    public async Task What_does_not_parse_or_route_is_an_AWS_shaped_400()
    {
        AwsJsonResponse notJson = await Call("TrentService.CreateKey", "{not json");
        Assert.Equal((400, "SerializationException"), (notJson.StatusCode, notJson.ErrorType));
        Assert.Equal("SerializationException", Error(notJson).Type);

        AwsJsonResponse wrongType = await Call("TrentService.CreateKey", """{"Description":5}""");
        Assert.Equal("SerializationException", wrongType.ErrorType);
        Assert.Contains("$.Description", Error(wrongType).Message, StringComparison.Ordinal);

        AwsJsonResponse missing = await Call("TrentService.Encrypt", """{"Plaintext":"AA=="}""");
        Assert.Equal("ValidationException", missing.ErrorType);
        Assert.Contains("Value null at 'KeyId' failed to satisfy constraint: Member must not be null", Error(missing).Message, StringComparison.Ordinal);

        AwsJsonResponse badEnum = await Call("TrentService.CreateKey", """{"KeySpec":"AES_512"}""");
        Assert.Equal("ValidationException", badEnum.ErrorType);
        Assert.Contains("AES_512", Error(badEnum).Message, StringComparison.Ordinal);

        Assert.Equal("UnknownOperationException", (await Call("TrentService.DoesNotExist", "{}")).ErrorType);
        Assert.Equal("UnknownOperationException", (await Call("NoSuchService.CreateKey", "{}")).ErrorType);
        Assert.Equal("UnknownOperationException", (await Call(null, "{}")).ErrorType);
        Assert.Equal(400, (await Call("TrentService.DescribeKey", "")).StatusCode); // empty body: KeyId missing

        // Service errors keep AWS's codes; an endpoint that answered errors still answers.
        AwsJsonResponse notFound = await Call("TrentService.DescribeKey", """{"KeyId":"1234abcd-12ab-34cd-56ef-1234567890ab"}""");
        Assert.Equal((400, "NotFoundException"), (notFound.StatusCode, notFound.ErrorType));
        Assert.Equal(200, (await Call("AmazonSSM.PutParameter", """{"Name":"/a","Value":"b","Type":"String","Tier":"Intelligent-Tiering"}""")).StatusCode);
    }

    [Fact]
    public void Every_operation_of_every_service_is_routed_by_its_AWS_name()
    {
        string[] targets = [.. AwsJsonEndpoint.Targets];
        Assert.Contains("TrentService.Encrypt", targets);
        Assert.Contains("AmazonSSM.GetParametersByPath", targets);
        Assert.Contains("secretsmanager.GetSecretValue", targets);
        Assert.Contains("CertificateManager.RequestCertificate", targets);
        Assert.Contains("ACMPrivateCA.IssueCertificate", targets);
        Assert.Equal(47 + 13 + 23 + 13 + 15, targets.Length);
        Assert.Equal("acm-pca", AwsJsonEndpoint.SigningNameOf("ACMPrivateCA.IssueCertificate"));
        Assert.Null(AwsJsonEndpoint.SigningNameOf("Nope.X"));
    }

    public void Dispose() => _host.Dispose();
}
