using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Vaultlib.Tests.TestSupport;
using Vaultlib.Tool;

namespace Vaultlib.Tests.AwsProtocol;

/// <summary>The notes' AWS CLI commands and boto3 snippet, unchanged, against <c>vaultlib serve</c> on loopback (CI installs Debian's awscli and python3-boto3).</summary>
public sealed class AwsCliTests : IAsyncLifetime
{
    private const string AccessKey = "AKIACLITEST000000001";
    private const string Secret = "cli-test-secret-key-0000000000000000000";
    private WebApplication _app = null!;
    private string _url = null!;

    public async Task InitializeAsync()
    {
        _app = VaultlibServer.Build(["--urls", "http://127.0.0.1:0", "--access-key-id", AccessKey, "--secret-access-key", Secret]);
        await _app.StartAsync();
        _url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Runs a program with the endpoint and the test credentials in its environment, as a user's shell would.</summary>
    private (int Exit, string Out, string Err) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AWS_ACCESS_KEY_ID"] = AccessKey;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = Secret;
        start.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        start.Environment["AWS_ENDPOINT_URL"] = _url;
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }

    private static string Aws() => RequiredPart.Find("aws", "apt-get install awscli (Debian's AWS CLI; .ci/run installs it)");

    [SkippableFact]
    public void The_notes_KMS_commands_work_and_print_what_AWS_prints()
    {
        string aws = Aws();
        (int exit, string created, string err) = Run(aws, "kms", "create-key", "--description", "cli");
        Assert.True(exit == 0, err);
        string keyId = JsonDocument.Parse(created).RootElement.GetProperty("KeyMetadata").GetProperty("KeyId").GetString()!;

        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("plain.txt"), "from the notes");
        (exit, string ciphertext, err) = Run(aws, "kms", "encrypt", "--key-id", keyId, "--plaintext", "fileb://" + temp.Combine("plain.txt"), "--output", "text", "--query", "CiphertextBlob");
        Assert.True(exit == 0, err);
        File.WriteAllBytes(temp.Combine("blob"), Convert.FromBase64String(ciphertext.Trim()));
        (exit, string plaintext, err) = Run(aws, "kms", "decrypt", "--ciphertext-blob", "fileb://" + temp.Combine("blob"), "--output", "text", "--query", "Plaintext");
        Assert.True(exit == 0, err);
        Assert.Equal("from the notes", Encoding.UTF8.GetString(Convert.FromBase64String(plaintext.Trim())));

        (exit, string dataKey, err) = Run(aws, "kms", "generate-data-key", "--key-id", keyId, "--key-spec", "AES_256");
        Assert.True(exit == 0, err);
        Assert.Equal(32, Convert.FromBase64String(JsonDocument.Parse(dataKey).RootElement.GetProperty("Plaintext").GetString()!).Length);
        (exit, string random, err) = Run(aws, "kms", "generate-random", "--number-of-bytes", "16");
        Assert.True(exit == 0, err);
        Assert.Equal(16, Convert.FromBase64String(JsonDocument.Parse(random).RootElement.GetProperty("Plaintext").GetString()!).Length);

        (exit, _, err) = Run(aws, "kms", "describe-key", "--key-id", "alias/missing");
        Assert.NotEqual(0, exit);
        Assert.Contains("NotFoundException", err, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void The_notes_SSM_commands_and_boto3_snippet_work()
    {
        string aws = Aws();
        Assert.Equal(0, Run(aws, "ssm", "put-parameter", "--name", "/path/name1", "--value", "one", "--type", "String").Exit);
        Assert.Equal(0, Run(aws, "ssm", "put-parameter", "--name", "/path/name2", "--value", "two", "--type", "SecureString").Exit);
        (int exit, string got, string err) = Run(aws, "ssm", "get-parameters", "--names", "/path/name1", "/path/name2", "--with-decryption");
        Assert.True(exit == 0, err);
        Assert.Equal(["one", "two"], JsonDocument.Parse(got).RootElement.GetProperty("Parameters").EnumerateArray().Select(p => p.GetProperty("Value").GetString()).Order());
        (exit, string byPath, err) = Run(aws, "ssm", "get-parameters-by-path", "--path", "/path", "--recursive");
        Assert.True(exit == 0, err);
        Assert.Equal(2, JsonDocument.Parse(byPath).RootElement.GetProperty("Parameters").GetArrayLength());

        string python = RequiredPart.Find("python3", "apt-get install python3-boto3");
        (exit, string printed, err) = Run(python, "-c", "import boto3\nssm = boto3.client('ssm')\nr = ssm.get_parameters(Names=['/path/name1', '/path/name2'], WithDecryption=True)\nprint(sorted(p['Value'] for p in r['Parameters']))");
        Assert.True(exit == 0, err);
        Assert.Equal("['one', 'two']", printed.Trim());
    }
}
