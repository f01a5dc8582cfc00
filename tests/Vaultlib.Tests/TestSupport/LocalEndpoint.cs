using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Vaultlib.Tests.TestSupport;

/// <summary>What tests of a Kestrel application on loopback share: its addresses, a root key file, and AWS clients run against it.</summary>
public static class LocalEndpoint
{
    /// <summary>The addresses a started application listens on (the ports Kestrel chose for port 0).</summary>
    public static Uri[] Addresses(WebApplication app) =>
        [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a))];

    /// <summary>The one address a started application listens on.</summary>
    public static Uri Address(WebApplication app) => Addresses(app).Single();

    /// <summary>A 32-byte root key file in <paramref name="temp"/>, readable by its owner only (the vault refuses one others can read).</summary>
    public static string RootKeyFile(TempDirectory temp)
    {
        string keyFile = temp.Combine("root.key");
        File.WriteAllBytes(keyFile, TestData.RandomBytes(32));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return keyFile;
    }

    /// <summary>
    /// Runs an AWS client program (the AWS CLI, python with boto3, node) as a user's shell would against
    /// <paramref name="endpoint"/>: the credentials, Region and endpoint in its environment, no config files.
    /// </summary>
    public static async Task<(int Exit, string Out, string Err)> RunAwsClientAsync(string program, IEnumerable<string> arguments, string endpoint, string accessKey, string secret, string? caBundle = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AWS_ACCESS_KEY_ID"] = accessKey;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = secret;
        start.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        start.Environment["AWS_ENDPOINT_URL"] = endpoint;
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        if (caBundle is not null)
        {
            start.Environment["AWS_CA_BUNDLE"] = caBundle;
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, error);
    }
}
