using Vaultlib.Authorization;

namespace Vaultlib.Tests.Authorization;

/// <summary>The ARN field readers the evaluator uses on every request (span-based, so they must hold every edge).</summary>
public sealed class ArnPartsTests
{
    [Theory]
    [InlineData("arn:aws:iam::111122223333:root", "111122223333")]
    [InlineData("arn:aws:iam::111122223333:user/alice", "111122223333")]
    [InlineData("arn:aws:sts::111122223333:assumed-role/app/s1", "111122223333")]
    [InlineData("arn:aws-cn:iam::111122223333:role/a:b:c", "111122223333")]
    [InlineData("arn:aws:iam::11112222333:root", null)]       // 11 digits
    [InlineData("arn:aws:iam::1111222233334:root", null)]     // 13 digits
    [InlineData("arn:aws:iam::11112222333x:root", null)]      // not all digits
    [InlineData("arm:aws:iam::111122223333:root", null)]      // not "arn"
    [InlineData("arn:aws:iam::111122223333", null)]           // five fields
    [InlineData("kms.amazonaws.com", null)]
    [InlineData("", null)]
    public void AccountOf_reads_the_fifth_field_only_when_it_is_an_account_id(string arn, string? expected)
    {
        Assert.Equal(expected, PolicyEvaluator.AccountOf(arn));
        Assert.Equal(expected, PolicyEvaluator.AccountOfResource(arn));
    }

    [Theory]
    [InlineData("arn:aws:sts::111122223333:assumed-role/app/session", "app")]
    [InlineData("arn:aws:sts::111122223333:assumed-role/app/", null)]
    [InlineData("arn:aws:sts::111122223333:assumed-role//session", null)]
    [InlineData("arn:aws:sts::111122223333:assumed-role/app", null)]
    [InlineData("arn:aws:sts::111122223333:assumed-role/app/s/extra", null)]
    [InlineData("arn:aws:iam::111122223333:assumed-role/app/session", null)] // iam, not sts
    [InlineData("arn:aws:sts::111122223333:federated-user/bob", null)]
    [InlineData("arx:aws:sts::111122223333:assumed-role/app/session", null)]
    public void RoleOfSession_names_the_role_of_an_assumed_role_session_only(string arn, string? expected) =>
        Assert.Equal(expected, PolicyEvaluator.RoleOfSession(arn));

    [Theory]
    [InlineData("arn:aws:iam::111122223333:role/app", true)]
    [InlineData("arn:aws:iam::111122223333:role/path/to/app", true)]
    [InlineData("arn:aws:iam::111122223333:role/apps", false)]
    [InlineData("arn:aws:iam::111122223333:role/xapp", false)]
    [InlineData("arn:aws:iam::444455556666:role/app", false)]
    [InlineData("arn:aws:iam::111122223333:user/app", false)]
    [InlineData("arn:aws:sts::111122223333:role/app", false)]
    [InlineData("arn:aws:iam::111122223333", false)]
    public void IsRole_matches_the_role_name_under_any_path_in_the_account(string arn, bool expected) =>
        Assert.Equal(expected, PolicyEvaluator.IsRole(arn, "111122223333", "app"));

    [Theory]
    [InlineData("arn:aws:iam::111122223333:root", true)]
    [InlineData("arn:aws-us-gov:iam::111122223333:root", true)]
    [InlineData("arn:aws:iam::0111122223333:root", false)]
    [InlineData("arn:aws:iam::11122223333:root", false)]
    [InlineData("arn:aws:iam::111122223333:user/root", false)]
    [InlineData("arn:aws:iam::111122223333:rooted", false)]
    [InlineData("111122223333:root", false)]
    [InlineData(":root", false)]
    public void IsAccountRoot_requires_the_account_between_the_double_colon_and_root(string principal, bool expected) =>
        Assert.Equal(expected, PolicyEvaluator.IsAccountRoot(principal, "111122223333"));
}
