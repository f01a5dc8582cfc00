using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vaultlib.Parameters;

namespace Vaultlib.Tests.Parameters;

/// <summary>Contract tests: change events, in this instance and in another sharing the store, and the configuration provider that follows them.</summary>
public abstract partial class ParameterStoreContractTests
{
    private static readonly TimeSpan EventWait = TimeSpan.FromSeconds(10);

    [SkippableFact]
    public async Task Every_create_update_label_and_delete_is_a_Parameter_Store_Change_event_here_and_in_another_instance()
    {
        var here = new BlockingCollection<ParameterStoreEvent>();
        var there = new BlockingCollection<ParameterStoreEvent>();
        using IDisposable local = Ssm.Subscribe(here.Add);
        using var other = new VaultlibHost(SharedVault, ownsVault: false, timeProvider: Clock);
        using IDisposable remote = other.Parameters.Subscribe(there.Add);

        await Ssm.PutParameterAsync(new PutParameterRequest { Name = "/ev/p", Value = "secret-value-1", Type = ParameterType.SecureString, Description = "watched" });
        await Put("/ev/p", "secret-value-2", ParameterType.SecureString, overwrite: true);
        await Ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = "/ev/p", Labels = ["live"] });
        await Ssm.AddTagsToResourceAsync(new AddTagsToResourceRequest { ResourceType = "Parameter", ResourceId = "/ev/p", Tags = [new Tag { Key = "t", Value = "v" }] });
        await Ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = "/ev/p" });

        foreach (BlockingCollection<ParameterStoreEvent> received in new[] { here, there })
        {
            string[] operations = [.. Enumerable.Range(0, 4).Select(_ => Take(received).Detail.Operation!)];
            Assert.Equal(["Create", "Update", "LabelParameterVersion", "Delete"], operations);
        }

        Assert.False(here.TryTake(out _, TimeSpan.FromMilliseconds(200)), "a tag change is not a Parameter Store Change");
        await Put("/ev/q", "plain");
        ParameterStoreEvent created = Take(here);
        Assert.Equal("Parameter Store Change", created.DetailType);
        Assert.Equal("aws.ssm", created.Source);
        Assert.Equal(["arn:aws:ssm:us-east-1:111122223333:parameter/ev/q"], created.Resources);
        Assert.Equal(ParameterType.String, created.Detail.Type);
        Assert.Equal("us-east-1", created.Region);
        Assert.Equal("111122223333", created.Account);
        Assert.Equal(Clock.GetUtcNow(), created.Time);
    }

    [SkippableFact]
    public async Task The_configuration_provider_maps_a_path_and_IOptionsMonitor_follows_a_change_without_polling()
    {
        await Put("/myapp/prod/Db/Host", "db.internal");
        await Put("/myapp/prod/Db/Password", "p@ss", ParameterType.SecureString);
        await Put("/myapp/prod/Hosts", "a,b,c", ParameterType.StringList);
        await Put("/myapp/dev/Db/Host", "dev.internal");

        IConfigurationRoot configuration = new ConfigurationBuilder().AddVaultlibParameters(Ssm, "/myapp/prod/").Build();
        Assert.Equal("db.internal", configuration["Db:Host"]);
        Assert.Equal("p@ss", configuration["Db:Password"]);
        Assert.Equal(["a", "b", "c"], configuration.GetSection("Hosts").Get<string[]>()!);
        Assert.Null(configuration["dev:Db:Host"]);

        var services = new ServiceCollection();
        services.Configure<DbSettings>(configuration.GetSection("Db"));
        using ServiceProvider provider = services.BuildServiceProvider();
        IOptionsMonitor<DbSettings> monitor = provider.GetRequiredService<IOptionsMonitor<DbSettings>>();
        Assert.Equal("db.internal", monitor.CurrentValue.Host);
        var changed = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        using IDisposable? listener = monitor.OnChange(settings =>
        {
            // Events of the puts above may still be on their way (and reload the same values); wait for this one.
            if (settings.Host == "db2.internal")
            {
                changed.TrySetResult(settings.Host);
            }
        });

        await Put("/myapp/prod/Db/Host", "db2.internal", overwrite: true);
        Assert.Equal("db2.internal", await changed.Task.WaitAsync(EventWait));
        Assert.Equal("db2.internal", monitor.CurrentValue.Host);

        var missing = Assert.Throws<ParameterNotFoundException>(() => new ConfigurationBuilder().AddVaultlibParameters(Ssm, "/nothing/here").Build());
        Assert.Contains("/nothing/here", missing.Message, StringComparison.Ordinal);
        Assert.Empty(new ConfigurationBuilder().AddVaultlibParameters(Ssm, "/nothing/here", optional: true).Build().AsEnumerable());
        ((IDisposable)configuration.Providers.Single()).Dispose();
    }

    private static ParameterStoreEvent Take(BlockingCollection<ParameterStoreEvent> events) =>
        events.TryTake(out ParameterStoreEvent? e, EventWait) ? e : throw new TimeoutException("No event arrived.");

    /// <summary>Settings bound from configuration in the test above.</summary>
    public sealed class DbSettings
    {
        public string? Host { get; set; }

        public string? Password { get; set; }
    }
}
