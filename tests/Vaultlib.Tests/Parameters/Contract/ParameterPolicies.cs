using System.Collections.Concurrent;
using Vaultlib.Parameters;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Parameters;

/// <summary>Contract tests: parameter policies (Expiration, ExpirationNotification, NoChangeNotification) acting on a fake clock, from the scheduler.</summary>
public abstract partial class ParameterStoreContractTests
{
    private const string ExpiresInTwoDaysNotifiedOneDayBefore =
        """[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"2026-01-03T00:00:00.000Z"}},{"Type":"ExpirationNotification","Version":"1.0","Attributes":{"Before":"1","Unit":"Days"}}]""";

    private Task<PutParameterResponse> PutWithPolicies(string name, string policies, ParameterTier? tier = ParameterTier.Advanced, bool overwrite = false) =>
        Ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = "v", Type = ParameterType.String, Policies = policies, Tier = tier, Overwrite = overwrite });

    [SkippableFact]
    public async Task An_expiration_policy_notifies_then_deletes_the_parameter_on_time_from_the_scheduler()
    {
        var events = new BlockingCollection<ParameterStoreEvent>();
        using IDisposable subscription = Ssm.Subscribe(events.Add);
        await PutWithPolicies("/exp/token", ExpiresInTwoDaysNotifiedOneDayBefore);
        Assert.Equal("Create", Take(events).Detail.Operation);
        Host.Scheduler.Start();
        Assert.Equal(TestData.Epoch.AddDays(1), Ssm.ScheduledWork.NextDueTime);

        Clock.Advance(TimeSpan.FromDays(1) - TimeSpan.FromSeconds(1));
        await Host.Scheduler.WhenIdleAsync();
        Assert.False(events.TryTake(out _, TimeSpan.FromMilliseconds(200)));
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Host.Scheduler.WhenIdleAsync();
        ParameterStoreEvent notified = Take(events);
        Assert.Equal("Parameter Store Policy Action", notified.DetailType);
        Assert.Equal("ExpirationNotification", notified.Detail.PolicyType);
        Assert.Equal("Finished", notified.Detail.ActionStatus);
        Assert.Equal(TestData.Epoch.AddDays(1), notified.Time);
        ParameterMetadata described = (await Ssm.DescribeParametersAsync(new DescribeParametersRequest())).Parameters.Single();
        Assert.Equal([("Expiration", "Pending"), ("ExpirationNotification", "Finished")], described.Policies.Select(p => (p.PolicyType, p.PolicyStatus)));

        Clock.Advance(TimeSpan.FromDays(1));
        await Host.Scheduler.WhenIdleAsync();
        ParameterStoreEvent expired = Take(events);
        Assert.Equal("Expiration", expired.Detail.PolicyType);
        Assert.Equal(TestData.Epoch.AddDays(2), expired.Time);
        Assert.Equal("Delete", Take(events).Detail.Operation);
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => Get("/exp/token"));
        Assert.Null(Ssm.ScheduledWork.NextDueTime);
    }

    [SkippableFact]
    public async Task Without_a_scheduler_an_expired_parameter_is_gone_when_next_touched()
    {
        await PutWithPolicies("/exp/lazy", ExpiresInTwoDaysNotifiedOneDayBefore);
        Clock.Advance(TimeSpan.FromDays(3));
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => Get("/exp/lazy"));
        Assert.Equal(1, (await Put("/exp/lazy", "again")).Version);
    }

    [SkippableFact]
    public async Task A_no_change_notification_fires_after_its_period_and_a_new_version_starts_it_again()
    {
        var events = new BlockingCollection<ParameterStoreEvent>();
        using IDisposable subscription = Ssm.Subscribe(events.Add);
        await PutWithPolicies("/quiet", """[{"Type":"NoChangeNotification","Version":"1.0","Attributes":{"After":"2","Unit":"Hours"}}]""");
        Host.Scheduler.Start();
        Take(events);

        Clock.Advance(TimeSpan.FromHours(1));
        await Put("/quiet", "changed", overwrite: true);
        Assert.Equal("Update", Take(events).Detail.Operation);
        Assert.Equal(Clock.GetUtcNow().AddHours(2), Ssm.ScheduledWork.NextDueTime);
        Clock.Advance(TimeSpan.FromHours(2));
        await Host.Scheduler.WhenIdleAsync();
        ParameterStoreEvent quiet = Take(events);
        Assert.Equal("NoChangeNotification", quiet.Detail.PolicyType);
        Assert.Equal(TestData.Epoch.AddHours(3), quiet.Time);
        Assert.Equal("changed", (await Get("/quiet")).Value);
    }

    [SkippableFact]
    public async Task Policies_are_refused_as_AWS_refuses_them()
    {
        await Assert.ThrowsAsync<InvalidPolicyTypeException>(() => PutWithPolicies("/p", """[{"Type":"Rotation","Version":"1.0","Attributes":{}}]"""));
        await Assert.ThrowsAsync<InvalidPolicyAttributeException>(() => PutWithPolicies("/p", """[{"Type":"Expiration","Version":"1.0","Attributes":{}}]"""));
        await Assert.ThrowsAsync<InvalidPolicyAttributeException>(() => PutWithPolicies("/p", """[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"2025-01-01T00:00:00Z"}}]"""));
        await Assert.ThrowsAsync<InvalidPolicyAttributeException>(() => PutWithPolicies("/p", """[{"Type":"NoChangeNotification","Version":"1.0","Attributes":{"After":"2","Unit":"Weeks"}}]"""));
        await Assert.ThrowsAsync<InvalidPolicyAttributeException>(() => PutWithPolicies("/p", """[{"Type":"NoChangeNotification","Version":"1.0","Attributes":{"After":"0","Unit":"Days"}}]"""));
        await Assert.ThrowsAsync<InvalidPolicyAttributeException>(() => PutWithPolicies("/p", """{"Type":"Expiration"}"""));
        await Assert.ThrowsAsync<IncompatiblePolicyException>(() => PutWithPolicies("/p", """[{"Type":"ExpirationNotification","Version":"1.0","Attributes":{"Before":"1","Unit":"Days"}}]"""));
        await Assert.ThrowsAsync<IncompatiblePolicyException>(() => PutWithPolicies("/p", """[{"Type":"NoChangeNotification","Version":"1.0","Attributes":{"After":"1","Unit":"Days"}},{"Type":"NoChangeNotification","Version":"1.0","Attributes":{"After":"2","Unit":"Days"}}]"""));
        await Assert.ThrowsAsync<PoliciesLimitExceededException>(() => PutWithPolicies("/p", "[" + string.Join(",", Enumerable.Repeat("""{"Type":"NoChangeNotification","Version":"1.0","Attributes":{"After":"1","Unit":"Days"}}""", 11)) + "]"));
        Assert.Equal("Policies", (await Assert.ThrowsAsync<ValidationException>(() => PutWithPolicies("/p", ExpiresInTwoDaysNotifiedOneDayBefore, tier: ParameterTier.Standard))).MemberName);
        await Assert.ThrowsAsync<ValidationException>(() => PutWithPolicies("/p", ExpiresInTwoDaysNotifiedOneDayBefore, tier: null));
        Assert.Equal(ParameterTier.Advanced, (await PutWithPolicies("/p", ExpiresInTwoDaysNotifiedOneDayBefore, tier: ParameterTier.IntelligentTiering)).Tier);
    }
}
