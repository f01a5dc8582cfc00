using Vaultlib.Certificates.Acm;

namespace Vaultlib.Tests.Certificates.Acm;

public abstract partial class AcmContractTests
{
    [Fact]
    public async Task Tags_are_added_replaced_listed_and_removed_within_AWS_s_limits()
    {
        string arn = (await Acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "example.com", Tags = [new Tag { Key = "env", Value = "dev" }] })).CertificateArn;
        await Acm.AddTagsToCertificateAsync(new AddTagsToCertificateRequest { CertificateArn = arn, Tags = [new Tag { Key = "env", Value = "prod" }, new Tag { Key = "team", Value = "web" }] });
        Assert.Equal(["env=prod", "team=web"], (await Acm.ListTagsForCertificateAsync(new ListTagsForCertificateRequest { CertificateArn = arn })).Tags.Select(t => $"{t.Key}={t.Value}"));

        await Acm.RemoveTagsFromCertificateAsync(new RemoveTagsFromCertificateRequest { CertificateArn = arn, Tags = [new Tag { Key = "env", Value = "dev" }, new Tag { Key = "team" }] });
        Assert.Equal(["env=prod"], (await Acm.ListTagsForCertificateAsync(new ListTagsForCertificateRequest { CertificateArn = arn })).Tags.Select(t => $"{t.Key}={t.Value}"));

        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.InvalidTagException>(() => Acm.AddTagsToCertificateAsync(new AddTagsToCertificateRequest { CertificateArn = arn, Tags = [new Tag { Key = "aws:x", Value = "y" }] }));
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.InvalidTagException>(() => Acm.AddTagsToCertificateAsync(new AddTagsToCertificateRequest { CertificateArn = arn, Tags = [new Tag { Key = "k", Value = new string('v', 257) }] }));
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Acm.AddTagsToCertificateAsync(new AddTagsToCertificateRequest { CertificateArn = arn, Tags = [] }));
        await Acm.AddTagsToCertificateAsync(new AddTagsToCertificateRequest { CertificateArn = arn, Tags = [.. Enumerable.Range(0, 49).Select(i => new Tag { Key = $"k{i}", Value = "v" })] });
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.TooManyTagsException>(() => Acm.AddTagsToCertificateAsync(new AddTagsToCertificateRequest { CertificateArn = arn, Tags = [new Tag { Key = "one-more", Value = "v" }] }));
        Assert.Equal(50, (await Acm.ListTagsForCertificateAsync(new ListTagsForCertificateRequest { CertificateArn = arn })).Tags.Count);
    }
}
