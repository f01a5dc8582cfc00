using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vaultlib.AspNetCore;
using Vaultlib.AwsProtocol;
using Vaultlib.DependencyInjection;
using Vaultlib.PostgreSql;
using Vaultlib.Secrets;
using Vaultlib.Storage;

namespace Vaultlib.Tool;

/// <summary>
/// <c>vaultlib serve</c>: a Kestrel endpoint answering AWS JSON 1.1 at <c>/</c> for every service, with a health check
/// at <c>/health</c> and the Private CA's CRLs and OCSP responder, over an in-memory vault or a SQLite file.
/// </summary>
internal static class VaultlibServer
{
    private const string Usage = """
        usage: vaultlib serve [--urls http://127.0.0.1:4566[;https://localhost:4567]] [--https-host localhost] [--ca-bundle FILE]
                              [--region us-east-1] [--account 111122223333]
                              [--sqlite PATH --root-key-file FILE | --postgres CONNECTION-STRING [--postgres-schema vaultlib] --root-key-file FILE]
                              [--access-key-id ID --secret-access-key SECRET [--principal ARN]] [--anonymous-principal ARN]
                              [--audit-log FILE]
        Credentials default to AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from the environment, standing for the account root.
        Unsigned requests are refused unless --anonymous-principal names the principal they stand for.
        --audit-log appends every call as a CloudTrail-shaped JSON line (caller, source IP, no secrets).
        HTTPS URLs are served with certificates from the vault's own CA; --ca-bundle writes its root for AWS_CA_BUNDLE.
        Rotation functions: arn:aws:lambda:REGION:ACCOUNT:function:vaultlib-random-password and
        arn:aws:lambda:REGION:ACCOUNT:function:vaultlib-postgresql-single-user.
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
        List<Listener> listeners = Listener.ParseAll(given.GetValueOrDefault("urls", "http://127.0.0.1:4566"));
        // Clients that connect by IP address send no SNI; they are served the certificate for --https-host
        // ('localhost' by default, whose certificate also names 127.0.0.1 and ::1).
        string httpsHost = given.GetValueOrDefault("https-host", "localhost");
        builder.WebHost.UseKestrel(kestrel =>
        {
            // Slow clients: headers within 10 s (Kestrel's minimum body data rate, 240 bytes/s after 5 s, cuts off slow bodies).
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            foreach (Listener listener in listeners)
            {
                kestrel.Listen(listener.Address, listener.Port, listen =>
                {
                    if (listener.Https)
                    {
                        listen.UseVaultlibHttps(defaultHostName: httpsHost);
                    }
                });
            }
        });
        string account = given.GetValueOrDefault("account", "111122223333");
        string region = given.GetValueOrDefault("region", "us-east-1");
        IVaultlibBuilder vaultlib = builder.Services.AddVaultlib(o =>
        {
            o.Region = region;
            o.AccountId = account;
        });
        string? keyFile = given.GetValueOrDefault("root-key-file");
        if (given.TryGetValue("sqlite", out string? path))
        {
            vaultlib.PersistToSqlite(path, _ => VaultRootKey.FromKeyFile(keyFile ?? throw new ArgumentException("--sqlite needs --root-key-file.")));
        }
        else if (given.TryGetValue("postgres", out string? connectionString))
        {
            _ = keyFile ?? throw new ArgumentException("--postgres needs --root-key-file.");
            vaultlib.PersistToPostgreSql(connectionString, _ => VaultRootKey.FromKeyFile(keyFile), new PostgreSqlVaultStoreOptions { Schema = given.GetValueOrDefault("postgres-schema", "vaultlib") });
        }
        else if (keyFile is not null)
        {
            throw new ArgumentException("--root-key-file needs --sqlite or --postgres.");
        }

        if (given.TryGetValue("audit-log", out string? auditLog))
        {
            vaultlib.AddJsonLinesAudit(auditLog);
        }

        vaultlib.AddRotationFunction<RandomPasswordRotation>($"arn:aws:lambda:{region}:{account}:function:vaultlib-random-password");
        vaultlib.AddRotationFunction<PostgreSqlPasswordRotation>($"arn:aws:lambda:{region}:{account}:function:vaultlib-postgresql-single-user");
        string[] httpsHosts = listeners.Any(l => l.Https) ? [httpsHost] : [];
        if (httpsHosts.Length > 0 || given.ContainsKey("ca-bundle"))
        {
            builder.Services.AddHostedService(sp => new EndpointCertificates(sp, httpsHosts, given.GetValueOrDefault("ca-bundle")));
        }

        string accessKey = given.GetValueOrDefault("access-key-id") ?? Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID")
            ?? throw new ArgumentException("No access key: give --access-key-id and --secret-access-key, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.");
        string secret = given.GetValueOrDefault("secret-access-key") ?? Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY")
            ?? throw new ArgumentException("No secret key: give --secret-access-key, or set AWS_SECRET_ACCESS_KEY.");
        var credentials = new AwsCredentials().Add(accessKey, secret, given.GetValueOrDefault("principal", $"arn:aws:iam::{account}:root"));
        if (given.TryGetValue("anonymous-principal", out string? anonymous))
        {
            credentials.AllowAnonymous(anonymous);
        }

        builder.Services.AddSingleton(credentials);
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

    /// <summary>One URL of <c>--urls</c>: where Kestrel listens, and whether with HTTPS.</summary>
    private sealed record Listener(bool Https, IPAddress Address, int Port)
    {
        public static List<Listener> ParseAll(string urls) =>
            urls.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).ToList();

        private static Listener Parse(string url)
        {
            // Kestrel's wildcard hosts ('*', '+') are not valid URI hosts; read them as 0.0.0.0.
            string normalized = url.Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal);
            if (!Uri.TryCreate(normalized, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/" || uri.IsDefaultPort && !url.Contains(":" + uri.Port, StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{url}' is not a URL to listen on: give http:// or https://, a host and a port (e.g. https://localhost:4567).");
            }

            string host = uri.IdnHost;
            IPAddress address = host == "localhost" ? IPAddress.Loopback
                : IPAddress.TryParse(host, out IPAddress? literal) ? literal
                : throw new ArgumentException($"'{url}': listen on localhost or an IP address.");
            return new Listener(uri.Scheme == "https", address, uri.Port);
        }
    }
}
