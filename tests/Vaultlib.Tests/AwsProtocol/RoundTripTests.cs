using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Vaultlib.AwsProtocol;
using Vaultlib.Secrets;
using Vaultlib.Tests.TestSupport;
using Vaultlib.Tool;

namespace Vaultlib.Tests.AwsProtocol;

/// <summary>
/// Every operation of every service, in the order of TestData/aws-protocol/round-trips.json: in process through the
/// AWS SDK for .NET's own clients (KMS, SSM: AWS's request and response types, and its typed exceptions for the
/// expected errors) and signed raw AWS JSON through the in-process handler (Secrets Manager, ACM, ACM Private CA, whose
/// SDK packages the registry here does not serve); over HTTP through botocore, each answer checked against AWS's
/// service model (tests/interop/aws-protocol/round_trips.py); and over HTTP through the JavaScript SDK v3's clients
/// for all five services, with its typed errors, paginators and waiters (tests/interop/aws-sdk-js/round-trips.js).
/// </summary>
public sealed partial class RoundTripTests
{
    private const string AccessKey = "AKIAROUNDTRIP0000001";
    private const string Secret = "round-trip-secret-key-000000000000000000";
    private static readonly string s_scenario = Path.Combine(AppContext.BaseDirectory, "TestData", "aws-protocol", "round-trips.json");

    private static JsonElement[] Steps()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(s_scenario));
        return [.. document.RootElement.GetProperty("steps").EnumerateArray().Select(s => s.Clone())];
    }

    [Fact]
    public void The_scenario_calls_every_operation_the_endpoint_routes()
    {
        HashSet<string> called = [.. Steps().Select(s => s.GetProperty("target").GetString()!)];
        Assert.Equal(AwsJsonEndpoint.Targets.Order(StringComparer.Ordinal), called.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_operation_round_trips_in_process_through_the_SDK_clients_and_the_handler()
    {
        using var host = new VaultlibHost();
        host.RotationFunctions.Register("arn:aws:lambda:us-east-1:111122223333:function:vaultlib-random-password", new RandomPasswordRotation());
        var handler = new VaultlibAwsMessageHandler(new AwsJsonEndpoint(host), new AwsCredentials().Add(AccessKey, Secret, "arn:aws:iam::111122223333:root"));
        using var raw = new HttpClient(handler, disposeHandler: false);
        var clients = new Dictionary<(string, string), AmazonServiceClient>();
        var saved = new Dictionary<string, string>(StringComparer.Ordinal) { ["unique"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)) };
        var failures = new List<string>();
        try
        {
            foreach (JsonElement step in Steps())
            {
                string target = step.GetProperty("target").GetString()!;
                string region = step.TryGetProperty("region", out JsonElement r) ? r.GetString()! : "us-east-1";
                string? expected = step.TryGetProperty("error", out JsonElement e) ? e.GetString() : null;
                string input = Substitute(step.GetProperty("input"), saved);
                string[] parts = target.Split('.');
                string? problem = parts[0] is "TrentService" or "AmazonSSM"
                    ? await ThroughSdkAsync(Client(clients, parts[0], region, handler), parts[1], input, expected, step, saved)
                    : await ThroughHandlerAsync(raw, parts[0], region, target, input, expected, step, saved);
                if (problem is not null)
                {
                    failures.Add($"{target}: {problem}");
                }
            }
        }
        finally
        {
            foreach (AmazonServiceClient client in clients.Values)
            {
                client.Dispose();
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [SkippableFact]
    public async Task Every_operation_round_trips_over_HTTP_through_botocore_with_AWS_s_JSON()
    {
        string python = RequiredPart.Find("python3", "apt-get install python3-boto3");
        RequiredPart.Find("openssl", "apt-get install openssl");
        string printed = await RunAgainstEndpointAsync(python, Path.Combine(RequiredPart.RepositoryRoot(), "tests", "interop", "aws-protocol", "round_trips.py"));
        Assert.Contains($"{Steps().Length} of {Steps().Length} steps round-tripped", printed, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Every_operation_round_trips_over_HTTP_through_the_JavaScript_SDK_v3_clients_with_typed_errors_paginators_and_waiters()
    {
        string node = RequiredPart.Find("node", "apt-get install nodejs npm");
        string folder = Path.Combine(RequiredPart.RepositoryRoot(), "tests", "interop", "aws-sdk-js");
        RequiredPart.Require(
            File.Exists(Path.Combine(folder, "node_modules", "@aws-sdk", "client-kms", "package.json")),
            "The AWS SDK for JavaScript v3 clients (tests/interop/aws-sdk-js/node_modules)",
            "Run 'npm ci' in tests/interop/aws-sdk-js (.ci/run does).");
        string printed = await RunAgainstEndpointAsync(node, Path.Combine(folder, "round-trips.js"));
        Assert.Equal(Steps().Length + 7, printed.Split('\n').Count(line => line.StartsWith("ok   ", StringComparison.Ordinal))); // every step, 5 paginators, 2 waiters
        Assert.Contains("0 failures", printed, StringComparison.Ordinal);
    }

    /// <summary>Runs a runner (the scenario and the models as its arguments) against <c>vaultlib serve</c> on loopback; its output, after asserting it exited 0.</summary>
    private static async Task<string> RunAgainstEndpointAsync(string program, string script)
    {
        WebApplication app = VaultlibServer.Build(["--urls", "http://127.0.0.1:0", "--access-key-id", AccessKey, "--secret-access-key", Secret]);
        await app.StartAsync();
        await using (app)
        {
            string url = LocalEndpoint.Address(app).GetLeftPart(UriPartial.Authority);
            (int exit, string printed, string error) = await LocalEndpoint.RunAwsClientAsync(program, [script, s_scenario, Path.Combine(AppContext.BaseDirectory, "TestData", "aws-models")], url, AccessKey, Secret);
            Assert.True(exit == 0, printed + error);
            await app.StopAsync();
            return printed;
        }
    }

    private static AmazonServiceClient Client(Dictionary<(string, string), AmazonServiceClient> clients, string prefix, string region, VaultlibAwsMessageHandler handler)
    {
        if (!clients.TryGetValue((prefix, region), out AmazonServiceClient? client))
        {
            var credentials = new BasicAWSCredentials(AccessKey, Secret);
            var factory = new VaultlibHttpClientFactory(handler);
            client = prefix == "TrentService"
                ? new AmazonKeyManagementServiceClient(credentials, new AmazonKeyManagementServiceConfig { ServiceURL = $"https://kms.{region}.amazonaws.com", AuthenticationRegion = region, HttpClientFactory = factory, MaxErrorRetry = 0 })
                : new AmazonSimpleSystemsManagementClient(credentials, new AmazonSimpleSystemsManagementConfig { ServiceURL = $"https://ssm.{region}.amazonaws.com", AuthenticationRegion = region, HttpClientFactory = factory, MaxErrorRetry = 0 });
            clients[(prefix, region)] = client;
        }

        return client;
    }

    /// <summary>Calls the SDK client's own method with its own request type, built from the step's JSON; null when it round-trips.</summary>
    private static async Task<string?> ThroughSdkAsync(AmazonServiceClient client, string operation, string input, string? expected, JsonElement step, Dictionary<string, string> saved)
    {
        Assembly sdk = client.GetType().Assembly;
        string ns = client.GetType().Namespace + ".Model";
        Type requestType = sdk.GetType($"{ns}.{operation}Request", throwOnError: true)!;
        using JsonDocument json = JsonDocument.Parse(input);
        object request = Build(requestType, json.RootElement)!;
        MethodInfo method = client.GetType().GetMethod(operation + "Async", [requestType, typeof(CancellationToken)])!;
        object response;
        try
        {
            var task = (Task)method.Invoke(client, [request, CancellationToken.None])!;
            await task;
            response = task.GetType().GetProperty("Result")!.GetValue(task)!;
        }
        catch (AmazonServiceException error)
        {
            // The SDK's own exception type for AWS's code (ParameterNotFound arrives as ParameterNotFoundException).
            return error.ErrorCode == expected && (error.GetType().Name == expected || error.GetType().Name == expected + "Exception")
                ? null
                : $"{error.GetType().Name} ({error.ErrorCode}): {error.Message}";
        }

        if (expected is not null)
        {
            return $"succeeded where {expected} was expected";
        }

        if (((AmazonWebServiceResponse)response).HttpStatusCode != System.Net.HttpStatusCode.OK)
        {
            return $"status {((AmazonWebServiceResponse)response).HttpStatusCode}";
        }

        return Save(step, saved, path => Navigate(response, path));
    }

    /// <summary>Sends the step as signed AWS JSON through the in-process handler; null when it round-trips.</summary>
    private static async Task<string?> ThroughHandlerAsync(HttpClient raw, string prefix, string region, string target, string input, string? expected, JsonElement step, Dictionary<string, string> saved)
    {
        string service = prefix switch { "secretsmanager" => "secretsmanager", "CertificateManager" => "acm", _ => "acm-pca" };
        using HttpRequestMessage request = TestSigner.Http(AccessKey, Secret, region, service, target, input, DateTimeOffset.UtcNow);
        using HttpResponseMessage response = await raw.SendAsync(request);
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        using JsonDocument answer = JsonDocument.Parse(body.Length == 0 ? "{}"u8.ToArray() : body);
        if (!response.IsSuccessStatusCode)
        {
            string type = answer.RootElement.GetProperty("__type").GetString()!;
            return type == expected && response.Headers.GetValues("x-amzn-ErrorType").Single() == type ? null : $"{(int)response.StatusCode} {type}: {answer.RootElement.GetProperty("message")}";
        }

        return expected is not null ? $"succeeded where {expected} was expected" : Save(step, saved, path => Navigate(answer.RootElement, path));
    }

    private static string? Save(JsonElement step, Dictionary<string, string> saved, Func<string, string?> navigate)
    {
        if (!step.TryGetProperty("save", out JsonElement saves))
        {
            return null;
        }

        foreach (JsonProperty save in saves.EnumerateObject())
        {
            string path = save.Value.GetString()!;
            int hash = path.IndexOf('#', StringComparison.Ordinal);
            string? value = navigate(hash < 0 ? path : path[..hash]);
            if (value is null)
            {
                return $"nothing at {path} to save as {save.Name}";
            }

            saved[save.Name] = hash < 0 ? value : value[(value.LastIndexOf(path[(hash + 1)..], StringComparison.Ordinal) + path.Length - hash - 1)..];
        }

        return null;
    }

    private static string? Navigate(JsonElement element, string path)
    {
        foreach (string part in path.Split('.'))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText();
    }

    private static string? Navigate(object? value, string path)
    {
        foreach (string part in path.Split('.'))
        {
            value = value?.GetType().GetProperty(part)?.GetValue(value);
        }

        return value switch
        {
            null => null,
            MemoryStream stream => Convert.ToBase64String(stream.ToArray()),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The step's input with <c>${…}</c> replaced, as the scenario's note says.</summary>
    private static string Substitute(JsonElement input, Dictionary<string, string> saved) =>
        Placeholder().Replace(input.GetRawText(), match =>
        {
            string[] parts = match.Groups[1].Value.Split(':');
            string value = parts switch
            {
                ["base64", string name] => Convert.ToBase64String(Encoding.UTF8.GetBytes(saved[name])),
                ["oaep", string name] => Oaep(saved[name]),
                [string name] => saved[name],
                _ => throw new InvalidOperationException($"Unknown placeholder {match.Value}."),
            };
            return JsonEncodedText.Encode(value).ToString();
        });

    private static string Oaep(string publicKeyBase64)
    {
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKeyBase64), out _);
        return Convert.ToBase64String(rsa.Encrypt(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), RSAEncryptionPadding.OaepSHA256));
    }

    [GeneratedRegex(@"\$\{([^}]+)\}")]
    private static partial Regex Placeholder();

    /// <summary>An AWS SDK model object from AWS's JSON: members by AWS's names, blobs as streams, enums as constant classes.</summary>
    private static object? Build(Type type, JsonElement json)
    {
        Type target = Nullable.GetUnderlyingType(type) ?? type;
        if (target == typeof(string))
        {
            return json.GetString();
        }

        if (target == typeof(bool))
        {
            return json.GetBoolean();
        }

        if (target == typeof(int))
        {
            return json.GetInt32();
        }

        if (target == typeof(long))
        {
            return json.GetInt64();
        }

        if (target == typeof(DateTime))
        {
            return DateTime.UnixEpoch.AddSeconds(json.GetDouble());
        }

        if (target == typeof(MemoryStream))
        {
            return new MemoryStream(json.GetBytesFromBase64());
        }

        if (typeof(ConstantClass).IsAssignableFrom(target))
        {
            return target.GetMethod("FindValue", BindingFlags.Public | BindingFlags.Static, [typeof(string)])!.Invoke(null, [json.GetString()]);
        }

        if (target.IsGenericType && target.GetGenericTypeDefinition() == typeof(List<>))
        {
            var list = (IList)Activator.CreateInstance(target)!;
            foreach (JsonElement item in json.EnumerateArray())
            {
                list.Add(Build(target.GetGenericArguments()[0], item));
            }

            return list;
        }

        if (target.IsGenericType && target.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            var map = (IDictionary)Activator.CreateInstance(target)!;
            foreach (JsonProperty entry in json.EnumerateObject())
            {
                map.Add(entry.Name, Build(target.GetGenericArguments()[1], entry.Value));
            }

            return map;
        }

        object instance = Activator.CreateInstance(target)!;
        foreach (JsonProperty member in json.EnumerateObject())
        {
            PropertyInfo property = target.GetProperty(member.Name) ?? throw new InvalidOperationException($"{target.Name} has no member {member.Name}.");
            property.SetValue(instance, Build(property.PropertyType, member.Value));
        }

        return instance;
    }
}
