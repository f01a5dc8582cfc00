using System.IO.Compression;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Vaultlib.AwsProtocol;

namespace Vaultlib.Tests.AwsProtocol;

/// <summary>
/// Every error of every service, by its code: each Vaultlib exception's code is an error AWS's service model defines
/// for the service (so botocore's <c>ClientError</c> and the JavaScript SDK's error name are AWS's), and for KMS and SSM
/// the AWS SDK for .NET turns the endpoint's answer for it into the SDK's own exception type.
/// </summary>
public sealed class ErrorMappingTests
{
    /// <summary>Errors AWS answers for every service (authentication, throttling, serialization), outside each model's list.</summary>
    private static readonly HashSet<string> s_common = ["ValidationException", "AccessDeniedException", "UnrecognizedClientException", "InvalidSignatureException", "SerializationException", "ThrottlingException"];

    public static TheoryData<string, string> Services => new()
    {
        { "kms", "Vaultlib.Keys.KeyManagementException" },
        { "ssm", "Vaultlib.Parameters.ParameterStoreException" },
        { "secretsmanager", "Vaultlib.Secrets.SecretsManagerException" },
        { "acm", "Vaultlib.Certificates.Acm.CertificateManagerException" },
        { "acm-pca", "Vaultlib.Certificates.PrivateCaException" },
    };

    private static JsonDocument Model(string service)
    {
        using var gzip = new GZipStream(File.OpenRead(Path.Combine(AppContext.BaseDirectory, "TestData", "aws-models", service + ".json.gz")), CompressionMode.Decompress);
        return JsonDocument.Parse(gzip);
    }

    /// <summary>Every concrete error of a service and its code.</summary>
    private static IEnumerable<(Type Type, string Code)> Errors(string baseTypeName)
    {
        Type root = typeof(VaultlibHost).Assembly.GetType(baseTypeName, throwOnError: true)!;
        foreach (Type type in root.Assembly.GetTypes().Where(t => !t.IsAbstract && root.IsAssignableFrom(t)))
        {
            yield return (type, Make(type, "m").ErrorCode);
        }
    }

    /// <summary>An instance of the error with <paramref name="message"/>, whatever else its constructor takes (defaults).</summary>
    private static VaultlibException Make(Type type, string message)
    {
        ConstructorInfo constructor = type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            .Where(c => c.GetParameters() is [{ ParameterType: var first }, ..] && first == typeof(string))
            .OrderBy(c => c.GetParameters().Length)
            .FirstOrDefault() ?? throw new InvalidOperationException($"{type.Name} has no constructor taking a message first.");
        object?[] arguments = [message, .. constructor.GetParameters().Skip(1).Select(p => p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : null)];
        return (VaultlibException)constructor.Invoke(arguments);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Every_error_code_is_one_AWS_s_model_defines_for_the_service(string service, string baseTypeName)
    {
        using JsonDocument model = Model(service);
        HashSet<string> defined = [.. model.RootElement.GetProperty("shapes").EnumerateObject()
            .Where(s => s.Value.TryGetProperty("exception", out JsonElement e) && e.GetBoolean()).Select(s => s.Name), .. s_common];
        (Type Type, string Code)[] errors = [.. Errors(baseTypeName)];
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.True(defined.Contains(e.Code), $"{e.Type.Name}: '{e.Code}' is not an error of {service}"));
    }

    [Theory]
    [InlineData("kms", "Vaultlib.Keys.KeyManagementException")]
    [InlineData("ssm", "Vaultlib.Parameters.ParameterStoreException")]
    public async Task Every_error_reaches_the_AWS_SDK_for_NET_as_its_own_exception_type(string service, string baseTypeName)
    {
        using JsonDocument model = Model(service);
        JsonElement operations = model.RootElement.GetProperty("operations");
        var failures = new List<string>();
        foreach ((Type type, string code) in Errors(baseTypeName).Where(e => !s_common.Contains(e.Code)))
        {
            // An operation whose declared errors include the code: the SDK's unmarshaller for it knows the type.
            string operation = operations.EnumerateObject().First(o => o.Value.TryGetProperty("errors", out JsonElement errors) && errors.EnumerateArray().Any(e => e.GetProperty("shape").GetString() == code)).Name;
            VaultlibException error = Make(type, "what went wrong");
            AwsJsonResponse answer = AwsJsonEndpoint.Error(error, Guid.NewGuid().ToString());
            using AmazonServiceClient client = Client(service, answer);
            Type requestType = client.GetType().Assembly.GetType($"{client.GetType().Namespace}.Model.{operation}Request", throwOnError: true)!;
            MethodInfo call = client.GetType().GetMethod(operation + "Async", [requestType, typeof(CancellationToken)])!;
            try
            {
                await (Task)call.Invoke(client, [Activator.CreateInstance(requestType), CancellationToken.None])!;
                failures.Add($"{code}: no exception");
            }
            catch (AmazonServiceException thrown)
            {
                if (thrown.GetType().Name != code && thrown.GetType().Name != code + "Exception" || thrown.ErrorCode != code || thrown.Message != "what went wrong" || thrown.StatusCode != (HttpStatusCode)answer.StatusCode)
                {
                    failures.Add($"{code} via {operation}: {thrown.GetType().Name} ({thrown.ErrorCode}, {thrown.StatusCode}) '{thrown.Message}'");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static AmazonServiceClient Client(string service, AwsJsonResponse answer)
    {
        var credentials = new BasicAWSCredentials("AKIAERRORS", "secret");
        var factory = new Answering(answer);
        return service == "kms"
            ? new AmazonKeyManagementServiceClient(credentials, new AmazonKeyManagementServiceConfig { ServiceURL = "https://kms.us-east-1.amazonaws.com", AuthenticationRegion = "us-east-1", HttpClientFactory = factory, MaxErrorRetry = 0 })
            : new AmazonSimpleSystemsManagementClient(credentials, new AmazonSimpleSystemsManagementConfig { ServiceURL = "https://ssm.us-east-1.amazonaws.com", AuthenticationRegion = "us-east-1", HttpClientFactory = factory, MaxErrorRetry = 0 });
    }

    /// <summary>An SDK HTTP client factory whose every request gets the endpoint's answer for one error, as the transports send it.</summary>
    private sealed class Answering(AwsJsonResponse answer) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new Handler(answer));

        private sealed class Handler(AwsJsonResponse answer) : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var response = new HttpResponseMessage((HttpStatusCode)answer.StatusCode) { RequestMessage = request, Content = new ByteArrayContent(answer.Body.ToArray()) };
                response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
                response.Headers.Add("x-amzn-RequestId", answer.RequestId);
                response.Headers.Add("x-amzn-ErrorType", answer.ErrorType);
                return Task.FromResult(response);
            }
        }
    }
}
