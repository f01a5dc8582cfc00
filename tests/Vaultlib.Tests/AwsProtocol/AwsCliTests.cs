using Microsoft.AspNetCore.Builder;
using Vaultlib.Tests.TestSupport;
using Vaultlib.Tool;

namespace Vaultlib.Tests.AwsProtocol;

/// <summary>
/// The real AWS CLI and boto3 against <c>vaultlib serve</c> on loopback: the notes' commands (samples/aws-cli/notes.sh)
/// over HTTPS with the endpoint's own CA over a SQLite vault, and every service's errors by AWS's codes. CI installs
/// Debian's awscli and python3-boto3.
/// </summary>
public sealed class AwsCliTests : IAsyncLifetime, IDisposable
{
    private const string AccessKey = "AKIACLITEST000000001";
    private const string Secret = "cli-test-secret-key-0000000000000000000";
    private readonly TempDirectory _temp = new();
    private WebApplication _app = null!;
    private string _url = null!;

    public async Task InitializeAsync()
    {
        string keyFile = LocalEndpoint.RootKeyFile(_temp);
        _app = VaultlibServer.Build(["--urls", "https://localhost:0", "--ca-bundle", _temp.Combine("ca.pem"), "--sqlite", _temp.Combine("vault.db"), "--root-key-file", keyFile,
            "--access-key-id", AccessKey, "--secret-access-key", Secret]);
        await _app.StartAsync();
        _url = LocalEndpoint.Address(_app).GetLeftPart(UriPartial.Authority);
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>Runs a program with the endpoint, its CA and the test credentials in its environment, as a user's shell would.</summary>
    private Task<(int Exit, string Out, string Err)> Run(string program, params string[] arguments) =>
        LocalEndpoint.RunAwsClientAsync(program, arguments, _url, AccessKey, Secret, _temp.Combine("ca.pem"));

    [SkippableFact]
    public async Task The_notes_commands_work_over_HTTPS_with_the_endpoints_own_CA()
    {
        RequiredPart.Find("aws", "apt-get install awscli (Debian's AWS CLI; .ci/run installs it)");
        RequiredPart.Find("openssl", "apt-get install openssl");
        Assert.StartsWith("https://", _url, StringComparison.Ordinal);
        (int exit, _, string err) = await Run("bash", Path.Combine(RequiredPart.RepositoryRoot(), "samples", "aws-cli", "notes.sh"));
        Assert.True(exit == 0, err);
        Assert.Contains("notes.sh: every command worked", err, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Each_services_errors_reach_the_AWS_CLI_by_AWS_names()
    {
        string aws = RequiredPart.Find("aws", "apt-get install awscli");
        (string[] Command, string Error)[] cases =
        [
            (["kms", "describe-key", "--key-id", "alias/missing"], "(NotFoundException) when calling the DescribeKey operation"),
            (["kms", "encrypt", "--key-id", "alias/missing", "--plaintext", "aGk="], "(NotFoundException) when calling the Encrypt operation"),
            (["ssm", "get-parameter", "--name", "/missing"], "(ParameterNotFound) when calling the GetParameter operation"),
            (["secretsmanager", "get-secret-value", "--secret-id", "missing"], "(ResourceNotFoundException) when calling the GetSecretValue operation"),
            (["acm", "describe-certificate", "--certificate-arn", "arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000"], "(ResourceNotFoundException) when calling the DescribeCertificate operation"),
            (["acm-pca", "describe-certificate-authority", "--certificate-authority-arn", "arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/00000000-0000-0000-0000-000000000000"], "(ResourceNotFoundException) when calling the DescribeCertificateAuthority operation"),
        ];
        foreach ((string[] command, string error) in cases)
        {
            (int exit, _, string err) = await Run(aws, command);
            Assert.NotEqual(0, exit); // 255 from AWS CLI v1, 254 from v2
            Assert.Contains(error, err, StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public async Task Each_services_errors_reach_boto3_as_ClientError_codes()
    {
        string python = RequiredPart.Find("python3", "apt-get install python3-boto3");
        const string Script = """
            import boto3, botocore.exceptions
            calls = [
                ("kms", lambda c: c.decrypt(CiphertextBlob=b"\x01" * 40)),
                ("ssm", lambda c: c.get_parameter(Name="/missing")),
                ("secretsmanager", lambda c: c.create_secret(Name="x", SecretString="a", SecretBinary=b"b")),
                ("acm", lambda c: c.request_certificate(DomainName="no")),
                ("acm-pca", lambda c: c.describe_certificate_authority(CertificateAuthorityArn="arn:bad:thing")),
            ]
            for service, call in calls:
                try:
                    call(boto3.client(service))
                    print(service, "no error")
                except botocore.exceptions.ClientError as e:
                    print(service, e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"])
            """;
        (int exit, string printed, string err) = await Run(python, "-c", Script);
        Assert.True(exit == 0, err);
        Assert.Equal(
            ["kms InvalidCiphertextException 400", "ssm ParameterNotFound 400", "secretsmanager InvalidParameterException 400", "acm ValidationException 400", "acm-pca InvalidArnException 400"],
            printed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
