using Vaultlib.Certificates;

namespace Vaultlib.Tests.Certificates;

/// <summary>Contract tests: DeleteCertificateAuthority and RestoreCertificateAuthority (the restoration window, the scheduler's purge) and the tag operations.</summary>
public abstract partial class PrivateCaContractTests
{
    [SkippableFact]
    public async Task An_active_CA_must_be_disabled_before_deletion_and_is_restorable_until_the_window_ends()
    {
        string ca = await ActiveRootAsync();
        string leaf = (await Issue(ca, Csr("kept").Pem)).CertificateArn;
        await Assert.ThrowsAsync<InvalidStateException>(() => Pca.DeleteCertificateAuthorityAsync(new DeleteCertificateAuthorityRequest { CertificateAuthorityArn = ca }));
        await Assert.ThrowsAsync<InvalidArgsException>(() => Pca.DeleteCertificateAuthorityAsync(new DeleteCertificateAuthorityRequest { CertificateAuthorityArn = ca, PermanentDeletionTimeInDays = 6 }));
        await Pca.UpdateCertificateAuthorityAsync(new UpdateCertificateAuthorityRequest { CertificateAuthorityArn = ca, Status = CertificateAuthorityStatus.DISABLED });
        await Pca.DeleteCertificateAuthorityAsync(new DeleteCertificateAuthorityRequest { CertificateAuthorityArn = ca, PermanentDeletionTimeInDays = 7 });

        CertificateAuthority deleted = await Describe(ca);
        Assert.Equal((CertificateAuthorityStatus.DELETED, Clock.GetUtcNow().AddDays(7)), (deleted.Status, deleted.RestorableUntil));
        await Assert.ThrowsAsync<InvalidStateException>(() => Issue(ca, Csr("no").Pem));
        await Assert.ThrowsAsync<InvalidStateException>(() => Pca.DeleteCertificateAuthorityAsync(new DeleteCertificateAuthorityRequest { CertificateAuthorityArn = ca }));

        // Restored within the window: as it was before (disabled), its certificates kept.
        Clock.Advance(TimeSpan.FromDays(6));
        await Pca.RestoreCertificateAuthorityAsync(new RestoreCertificateAuthorityRequest { CertificateAuthorityArn = ca });
        CertificateAuthority restored = await Describe(ca);
        Assert.Equal(CertificateAuthorityStatus.DISABLED, restored.Status);
        Assert.Null(restored.RestorableUntil);
        await Assert.ThrowsAsync<InvalidStateException>(() => Pca.RestoreCertificateAuthorityAsync(new RestoreCertificateAuthorityRequest { CertificateAuthorityArn = ca }));
        Assert.Contains("BEGIN CERTIFICATE", (await Pca.GetCertificateAsync(new GetCertificateRequest { CertificateAuthorityArn = ca, CertificateArn = leaf })).Certificate, StringComparison.Ordinal);

        // Deleted again and left: the scheduler purges it when the window ends, with what it issued.
        await Pca.DeleteCertificateAuthorityAsync(new DeleteCertificateAuthorityRequest { CertificateAuthorityArn = ca, PermanentDeletionTimeInDays = 7 });
        Host.Scheduler.Start();
        Clock.Advance(TimeSpan.FromDays(7));
        await Host.Scheduler.WhenIdleAsync();
        Assert.DoesNotContain(Pca.Table.All, c => c.Arn == ca);
        Assert.Empty(Pca.Table.CertificatesOf(ca[^36..]));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Describe(ca));
    }

    [SkippableFact]
    public async Task A_pending_CA_is_deleted_and_restored_pending()
    {
        string ca = (await Pca.CreateCertificateAuthorityAsync(new CreateCertificateAuthorityRequest { CertificateAuthorityConfiguration = Config(), CertificateAuthorityType = CertificateAuthorityType.SUBORDINATE })).CertificateAuthorityArn;
        await Pca.DeleteCertificateAuthorityAsync(new DeleteCertificateAuthorityRequest { CertificateAuthorityArn = ca });
        Assert.Equal(Clock.GetUtcNow().AddDays(30), (await Describe(ca)).RestorableUntil);
        await Pca.RestoreCertificateAuthorityAsync(new RestoreCertificateAuthorityRequest { CertificateAuthorityArn = ca });
        Assert.Equal(CertificateAuthorityStatus.PENDING_CERTIFICATE, (await Describe(ca)).Status);

        // Past the window, a lookup purges it even before the scheduler runs.
        await Pca.DeleteCertificateAuthorityAsync(new DeleteCertificateAuthorityRequest { CertificateAuthorityArn = ca, PermanentDeletionTimeInDays = 7 });
        Clock.Advance(TimeSpan.FromDays(7));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Pca.RestoreCertificateAuthorityAsync(new RestoreCertificateAuthorityRequest { CertificateAuthorityArn = ca }));
    }

    [SkippableFact]
    public async Task Tags_are_added_replaced_listed_in_pages_and_removed_by_key_or_by_key_and_value()
    {
        string ca = (await Pca.CreateCertificateAuthorityAsync(new CreateCertificateAuthorityRequest { CertificateAuthorityConfiguration = Config(), CertificateAuthorityType = CertificateAuthorityType.ROOT, Tags = [new Tag { Key = "b", Value = "1" }] })).CertificateAuthorityArn;
        await Pca.TagCertificateAuthorityAsync(new TagCertificateAuthorityRequest { CertificateAuthorityArn = ca, Tags = [new Tag { Key = "a", Value = "x" }, new Tag { Key = "b", Value = "2" }, new Tag { Key = "c" }] });
        ListTagsResponse first = await Pca.ListTagsAsync(new ListTagsRequest { CertificateAuthorityArn = ca, MaxResults = 2 });
        Assert.Equal(["a=x", "b=2"], first.Tags.Select(t => $"{t.Key}={t.Value}"));
        Assert.Equal(["c"], (await Pca.ListTagsAsync(new ListTagsRequest { CertificateAuthorityArn = ca, NextToken = first.NextToken })).Tags.Select(t => t.Key));

        await Pca.UntagCertificateAuthorityAsync(new UntagCertificateAuthorityRequest { CertificateAuthorityArn = ca, Tags = [new Tag { Key = "a", Value = "other" }, new Tag { Key = "b" }] });
        Assert.Equal(["a", "c"], (await Pca.ListTagsAsync(new ListTagsRequest { CertificateAuthorityArn = ca })).Tags.Select(t => t.Key));

        await Assert.ThrowsAsync<TooManyTagsException>(() => Pca.TagCertificateAuthorityAsync(new TagCertificateAuthorityRequest { CertificateAuthorityArn = ca, Tags = [.. Enumerable.Range(0, 49).Select(i => new Tag { Key = $"k{i}" })] }));
        await Assert.ThrowsAsync<InvalidTagException>(() => Pca.TagCertificateAuthorityAsync(new TagCertificateAuthorityRequest { CertificateAuthorityArn = ca, Tags = [new Tag { Key = "aws:x" }] }));
        await Assert.ThrowsAsync<InvalidArgsException>(() => Pca.TagCertificateAuthorityAsync(new TagCertificateAuthorityRequest { CertificateAuthorityArn = ca, Tags = [] }));
    }

    [SkippableFact]
    public async Task Callers_need_the_acm_pca_action_on_the_CA_and_tags_condition_it()
    {
        string ca = (await Pca.CreateCertificateAuthorityAsync(new CreateCertificateAuthorityRequest { CertificateAuthorityConfiguration = Config(), CertificateAuthorityType = CertificateAuthorityType.ROOT, Tags = [new Tag { Key = "team", Value = "pki" }] })).CertificateAuthorityArn;
        var caller = new Vaultlib.Authorization.CallerIdentity { Principal = "arn:aws:iam::111122223333:user/ops" };
        Host.IdentityPolicies.Set(caller.Principal, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"acm-pca:Describe*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"pki"}}}]}""");
        PrivateCertificateAuthority asCaller = Pca.AsCaller(caller);
        Assert.Equal(ca, (await asCaller.DescribeCertificateAuthorityAsync(new DescribeCertificateAuthorityRequest { CertificateAuthorityArn = ca })).CertificateAuthority.Arn);
        var denied = await Assert.ThrowsAsync<Vaultlib.Certificates.AccessDeniedException>(() => asCaller.GetCertificateAuthorityCsrAsync(new GetCertificateAuthorityCsrRequest { CertificateAuthorityArn = ca }));
        Assert.Contains("acm-pca:GetCertificateAuthorityCsr", denied.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<Vaultlib.Certificates.AccessDeniedException>(() => asCaller.ListCertificateAuthoritiesAsync(new ListCertificateAuthoritiesRequest()));
        await Pca.UntagCertificateAuthorityAsync(new UntagCertificateAuthorityRequest { CertificateAuthorityArn = ca, Tags = [new Tag { Key = "team" }] });
        await Assert.ThrowsAsync<Vaultlib.Certificates.AccessDeniedException>(() => asCaller.DescribeCertificateAuthorityAsync(new DescribeCertificateAuthorityRequest { CertificateAuthorityArn = ca }));
        Assert.Contains(Audit.Events, e => e.EventName == "GetCertificateAuthorityCsr" && e.ErrorCode == "AccessDeniedException");
    }
}
