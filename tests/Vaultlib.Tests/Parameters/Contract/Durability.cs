using System.Text;
using Vaultlib.Parameters;
using Vaultlib.Storage;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Parameters;

/// <summary>Contract tests: what a store keeps across a restart, and what it never keeps or shows (a SecureString's plaintext).</summary>
public abstract partial class ParameterStoreContractTests
{
    [SkippableFact]
    public async Task Parameters_survive_a_restart_and_no_SecureString_plaintext_is_stored_audited_or_shown()
    {
        const string Secret = "the-launch-code-0451";
        Vault vault = CreateVault(Clock);
        using (var first = new VaultlibHost(vault, ownsVault: false, timeProvider: Clock, auditSink: Audit))
        {
            await first.Parameters.PutParameterAsync(new PutParameterRequest { Name = "/keep/secret", Value = Secret, Type = ParameterType.SecureString, Tags = [new Tag { Key = "k", Value = "v" }] });
            await first.Parameters.PutParameterAsync(new PutParameterRequest { Name = "/keep/plain", Value = "visible", Type = ParameterType.String });
            await first.Parameters.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = "/keep/plain", Labels = ["stable"] });
            Parameter read = (await first.Parameters.GetParameterAsync(new GetParameterRequest { Name = "/keep/secret", WithDecryption = true })).Parameter;
            Assert.DoesNotContain(Secret, read.ToString(), StringComparison.Ordinal);
        }

        using var second = new VaultlibHost(vault, ownsVault: false, timeProvider: Clock);
        Assert.Equal(Secret, (await second.Parameters.GetParameterAsync(new GetParameterRequest { Name = "/keep/secret", WithDecryption = true })).Parameter.Value);
        Assert.Equal("visible", (await second.Parameters.GetParameterAsync(new GetParameterRequest { Name = "/keep/plain:stable" })).Parameter.Value);
        Assert.Equal("v", (await second.Parameters.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceType = "Parameter", ResourceId = "/keep/secret" })).TagList.Single().Value);

        Assert.DoesNotContain(Audit.Events, e => e.ToString().Contains(Secret, StringComparison.Ordinal) || (e.RequestParameters?.ToJsonString().Contains(Secret, StringComparison.Ordinal) ?? false) || (e.ResponseElements?.ToJsonString().Contains(Secret, StringComparison.Ordinal) ?? false));
        Assert.Contains(Audit.Query(eventName: "PutParameter"), e => e.RequestParameters?["value"]?.GetValue<string>() == Vaultlib.Audit.AuditEvent.Hidden);
        // Inside the sealed record too, the value is KMS ciphertext, never the plaintext.
        byte[] needle = Encoding.UTF8.GetBytes(Secret);
        byte[]? opened = null;
        Assert.True(await vault.Records("ssm/us-east-1/111122223333").ReadAsync("parameters", "keep/secret", (_, _, plaintext) => opened = plaintext.ToArray(), CancellationToken.None));
        Assert.Equal(-1, opened!.AsSpan().IndexOf(needle));
        Assert.Contains("\"ciphertext\"", Encoding.UTF8.GetString(opened!), StringComparison.Ordinal);
        foreach (StoredRecord stored in (await vault.Store.ReadAllAsync("ssm/us-east-1/111122223333")).Records)
        {
            Assert.Equal(-1, stored.Data.Span.IndexOf(needle));
        }
    }
}

/// <summary>Contract tests: no SecureString value in any log line or exception, whatever the outcome.</summary>
public abstract partial class ParameterStoreContractTests
{
    [SkippableFact]
    public async Task No_SecureString_value_reaches_a_log_line_or_an_exception()
    {
        const string Secret = "log-needle-7f3a9c";
        var logs = new CapturingLoggerProvider();
        using var host = new VaultlibHost(CreateVault(Clock), ownsVault: false, timeProvider: Clock, loggerFactory: logs, auditSink: Audit);
        ParameterStore ssm = host.Parameters;
        var errors = new List<Exception>();
        async Task Try(Func<Task> call)
        {
            try
            {
                await call();
            }
            catch (ParameterStoreException ex)
            {
                errors.Add(ex);
            }
        }

        await ssm.PutParameterAsync(new PutParameterRequest { Name = "/log/secret", Value = Secret, Type = ParameterType.SecureString });
        await ssm.GetParameterAsync(new GetParameterRequest { Name = "/log/secret", WithDecryption = true });
        await Try(() => ssm.PutParameterAsync(new PutParameterRequest { Name = "/log/secret", Value = Secret, Type = ParameterType.SecureString }));
        await Try(() => ssm.PutParameterAsync(new PutParameterRequest { Name = "/log/other", Value = Secret, Type = ParameterType.SecureString, KeyId = "alias/none" }));
        await Try(() => ssm.PutParameterAsync(new PutParameterRequest { Name = "/log/pattern", Value = Secret, Type = ParameterType.String, AllowedPattern = "^\\d+$" }));
        await Try(() => ssm.PutParameterAsync(new PutParameterRequest { Name = "/log/big", Value = Secret + new string('x', 5000), Type = ParameterType.SecureString }));
        await Try(() => ssm.AsCaller(new Vaultlib.Authorization.CallerIdentity { Principal = "arn:aws:iam::111122223333:user/nobody" }).GetParameterAsync(new GetParameterRequest { Name = "/log/secret", WithDecryption = true }));

        Assert.Equal(5, errors.Count);
        Assert.NotEmpty(logs.Lines);
        Assert.DoesNotContain(logs.Lines, line => line.Contains(Secret, StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.ToString().Contains(Secret, StringComparison.Ordinal));
        Assert.DoesNotContain(Audit.Events, e => (e.RequestParameters?.ToJsonString() ?? string.Empty).Contains(Secret, StringComparison.Ordinal));
    }
}
