using Vaultlib.Envelope;

namespace Vaultlib.Tests.Envelope.Keyrings;

/// <summary>KMS ARNs and identifiers as the Material Providers Library reads them (aws-kms-key-arn.md, aws-kms-mrk-match-for-decrypt.md).</summary>
public sealed class AwsKmsArnTests
{
    [Theory]
    [InlineData("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "aws", "us-east-1", "111122223333", "key", "1234abcd-12ab-34cd-56ef-1234567890ab")]
    [InlineData("arn:aws-cn:kms:cn-north-1:1:alias/a/b/c", "aws-cn", "cn-north-1", "1", "alias", "a/b/c")]
    [InlineData("arn:aws:kms:r:a:key/mrk-1", "aws", "r", "a", "key", "mrk-1")]
    public void A_valid_ARN_splits_into_its_parts(string value, string partition, string region, string account, string type, string id)
    {
        Assert.True(AwsKmsArn.TryParse(value, out AwsKmsArn arn));
        Assert.Equal(new AwsKmsArn(partition, region, account, type, id), arn);
        Assert.Equal(value, arn.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("arn:aws:kms:us-east-1:111122223333")]
    [InlineData("arn:aws:kms:us-east-1:111122223333:key/a:b")]
    [InlineData("arx:aws:kms:us-east-1:111122223333:key/a")]
    [InlineData("arn::kms:us-east-1:111122223333:key/a")]
    [InlineData("arn:aws:sqs:us-east-1:111122223333:key/a")]
    [InlineData("arn:aws:kms::111122223333:key/a")]
    [InlineData("arn:aws:kms:us-east-1::key/a")]
    [InlineData("arn:aws:kms:us-east-1:111122223333:key")]
    [InlineData("arn:aws:kms:us-east-1:111122223333:key/")]
    [InlineData("arn:aws:kms:us-east-1:111122223333:/a")]
    [InlineData("arn:aws:kms:us-east-1:111122223333:grant/a")]
    [InlineData("arn:aws:kms:us-east-1:111122223333:Key/a")]
    public void An_invalid_ARN_is_refused(string value)
    {
        Assert.False(AwsKmsArn.TryParse(null, out _));
        Assert.False(AwsKmsArn.TryParse(value, out _));
        Assert.Null(AwsKmsArn.ParseKeyArn(value));
    }

    [Fact]
    public void Only_a_key_ARN_is_a_key_ARN_and_only_a_key_whose_id_starts_mrk_is_multi_Region()
    {
        Assert.Null(AwsKmsArn.ParseKeyArn("arn:aws:kms:us-east-1:1:alias/mrk-1"));
        Assert.True(AwsKmsArn.ParseKeyArn("arn:aws:kms:us-east-1:1:key/mrk-1")!.Value.IsMultiRegionKey);
        Assert.False(AwsKmsArn.ParseKeyArn("arn:aws:kms:us-east-1:1:key/1-mrk")!.Value.IsMultiRegionKey);
        Assert.True(AwsKmsArn.TryParse("arn:aws:kms:us-east-1:1:alias/mrk-1", out AwsKmsArn alias));
        Assert.False(alias.IsMultiRegionKey);
        Assert.True(AwsKmsArn.IsMultiRegionIdentifier("mrk-1"));
        Assert.True(AwsKmsArn.IsMultiRegionIdentifier("arn:aws:kms:us-east-1:1:key/mrk-1"));
        Assert.False(AwsKmsArn.IsMultiRegionIdentifier("alias/mrk-1"));
        Assert.False(AwsKmsArn.IsMultiRegionIdentifier("arn:aws:kms:us-east-1:1:alias/mrk-1"));
        Assert.False(AwsKmsArn.IsMultiRegionIdentifier("1234"));
    }

    [Theory]
    [InlineData("arn:aws:kms:us-east-1:1:key/a", true)]
    [InlineData("arn:aws:kms:us-east-1:1:alias/a", true)]
    [InlineData("alias/a", true)]
    [InlineData("1234abcd-12ab-34cd-56ef-1234567890ab", true)]
    [InlineData("mrk-1234", true)]
    [InlineData("", false)]
    [InlineData("alias/", false)]
    [InlineData("key/1234", false)]
    [InlineData("arn:aws:kms:us-east-1:1:key", false)]
    public void A_keyring_takes_any_KMS_identifier_and_nothing_else(string identifier, bool valid)
    {
        Assert.Equal(valid, AwsKmsArn.IsValidIdentifier(identifier));
        Assert.False(AwsKmsArn.IsValidIdentifier(new string('a', 2049)));
        Assert.True(AwsKmsArn.IsValidIdentifier(new string('a', 2048)));
    }

    [Theory]
    [InlineData("arn:aws:kms:us-east-1:1:key/mrk-1", "arn:aws:kms:us-west-2:1:key/mrk-1", true)]
    [InlineData("arn:aws:kms:us-east-1:1:key/mrk-1", "arn:aws:kms:us-east-1:1:key/mrk-1", true)]
    [InlineData("arn:aws:kms:us-east-1:1:key/a", "arn:aws:kms:us-east-1:1:key/a", true)]
    [InlineData("arn:aws:kms:us-east-1:1:key/a", "arn:aws:kms:us-west-2:1:key/a", false)]
    [InlineData("arn:aws:kms:us-east-1:1:key/mrk-1", "arn:aws:kms:us-west-2:2:key/mrk-1", false)]
    [InlineData("arn:aws:kms:us-east-1:1:key/mrk-1", "arn:aws-cn:kms:us-west-2:1:key/mrk-1", false)]
    [InlineData("arn:aws:kms:us-east-1:1:key/mrk-1", "arn:aws:kms:us-west-2:1:key/mrk-2", false)]
    [InlineData("arn:aws:kms:us-east-1:1:alias/mrk-1", "arn:aws:kms:us-west-2:1:alias/mrk-1", false)]
    [InlineData("mrk-1", "arn:aws:kms:us-west-2:1:key/mrk-1", false)]
    [InlineData("arn:aws:kms:us-east-1:1:key/mrk-1", "arn:aws:kms:us-west-2:1:key/mrk-1x", false)]
    public void MRK_match_for_decrypt_ignores_only_the_Region_of_two_multi_Region_key_ARNs(string configured, string stored, bool match)
    {
        Assert.Equal(match, AwsKmsArn.MrkMatchForDecrypt(configured, stored));
        Assert.Equal(match, AwsKmsArn.MrkMatchForDecrypt(stored, configured));
    }

    [Fact]
    public void An_ARN_moves_to_another_Region_with_every_other_part_kept()
    {
        Assert.Equal("arn:aws:kms:eu-west-1:1:key/mrk-9/x", AwsKmsArn.ParseKeyArn("arn:aws:kms:us-east-1:1:key/mrk-9/x")!.Value.InRegion("eu-west-1"));
    }
}
