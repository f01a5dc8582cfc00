using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vaultlib.AspNetCore;
using Vaultlib.AwsProtocol;
using Vaultlib.Storage;

namespace Vaultlib.Tool;

/// <summary>
/// <c>vaultlib serve</c>: a Kestrel endpoint answering AWS JSON 1.1 at <c>/</c> for every service, with a health check
/// at <c>/health</c> and the Private CA's CRLs and OCSP responder, over an in-memory vault or a SQLite file.
/// </summary>
internal static class VaultlibServer
{
    private const string Usage = """
        usage: vaultlib serve [--urls http://127.0.0.1:4566] [--region us-east-1] [--account 111122223333]
                              [--sqlite PATH --root-key-file FILE]
                              [--access-key-id ID --secret-access-key SECRET [--principal ARN]]
        Credentials default to AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from the environment, standing for the account root.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] != "serve")
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        WebApplication app;
        try
        {
            app = Build(args[1..]);
        }
        catch (ArgumentException invalid)
        {
            Console.Error.WriteLine(invalid.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }

        await using (app.ConfigureAwait(false))
        {
            await app.RunAsync().ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>The endpoint's application for the options after <c>serve</c>.</summary>
    public static WebApplication Build(string[] options, Action<IServiceCollection>? services = null)
    {
        Dictionary<string, string> given = Parse(options);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(given.GetValueOrDefault("urls", "http://127.0.0.1:4566"));
        IVaultlibBuilder vaultlib = builder.Services.AddVaultlib(o =>
        {
            o.Region = given.GetValueOrDefault("region", o.Region);
            o.AccountId = given.GetValueOrDefault("account", o.AccountId);
        });
        if (given.TryGetValue("sqlite", out string? path))
        {
            string keyFile = given.GetValueOrDefault("root-key-file") ?? throw new ArgumentException("--sqlite needs --root-key-file.");
            vaultlib.PersistToSqlite(path, _ => VaultRootKey.FromKeyFile(keyFile));
        }

        string accessKey = given.GetValueOrDefault("access-key-id") ?? Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID")
            ?? throw new ArgumentException("No access key: give --access-key-id and --secret-access-key, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.");
        string secret = given.GetValueOrDefault("secret-access-key") ?? Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY")
            ?? throw new ArgumentException("No secret key: give --secret-access-key, or set AWS_SECRET_ACCESS_KEY.");
        string account = given.GetValueOrDefault("account", "111122223333");
        builder.Services.AddSingleton(new AwsCredentials().Add(accessKey, secret, given.GetValueOrDefault("principal", $"arn:aws:iam::{account}:root")));
        services?.Invoke(builder.Services);
        WebApplication app = builder.Build();
        app.MapGet("/health", () => Results.Text("ok\n"));
        app.MapVaultlibAws();
        app.MapVaultlibCrl();
        app.MapVaultlibOcsp();
        return app;
    }

    private static Dictionary<string, string> Parse(string[] options)
    {
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < options.Length; i++)
        {
            if (!options[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= options.Length)
            {
                throw new ArgumentException($"Unexpected argument '{options[i]}'.");
            }

            given[options[i][2..]] = options[++i];
        }

        return given;
    }
}
