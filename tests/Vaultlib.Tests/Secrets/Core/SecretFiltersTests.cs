using Vaultlib.Secrets;

namespace Vaultlib.Tests.Secrets.Core;

/// <summary>
/// ListSecrets' filters and order, rule by rule: the limits at their edges, each key's matching (prefix, case), the
/// <c>all</c> key's words, negation, and the two sort orders (pinned after a mutation run).
/// </summary>
public sealed class SecretFiltersTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static SecretRecord Secret(string name, string? description = null, DateTimeOffset? created = null, string region = "us-east-1", params (string Key, string Value)[] tags) => new()
    {
        Name = name,
        Arn = $"arn:aws:secretsmanager:{region}:111122223333:secret:{name}-abcdef",
        Description = description,
        CreatedDate = created ?? s_t0,
        LastChangedDate = created ?? s_t0,
        Tags = [.. tags.Select(t => new Tag { Key = t.Key, Value = t.Value })],
        Versions = [],
        PrimaryRegion = region,
    };

    private static Filter F(string key, params string[] values) => new() { Key = key, Values = values };

    private static bool Matches(SecretRecord secret, params Filter[] filters) => SecretFilters.Matches(secret, filters);

    [Fact]
    public void The_limits_are_AWS_s_at_their_edges()
    {
        SecretFilters.Validate(null);
        SecretFilters.Validate([.. Enumerable.Range(0, 10).Select(_ => F("name", "a"))]);
        Assert.Contains("At most 10", Assert.Throws<ValidationException>(() => SecretFilters.Validate([.. Enumerable.Range(0, 11).Select(_ => F("name", "a"))])).Message, StringComparison.Ordinal);

        SecretFilters.Validate([F("name", [.. Enumerable.Repeat("a", 10)])]);
        Assert.Contains("1-10 values", Assert.Throws<ValidationException>(() => SecretFilters.Validate([F("name", [.. Enumerable.Repeat("a", 11)])])).Message, StringComparison.Ordinal);
        Assert.Equal("Filters.member.Values", Assert.Throws<ValidationException>(() => SecretFilters.Validate([F("name")])).MemberName);
        Assert.Throws<ValidationException>(() => SecretFilters.Validate([new Filter { Key = "name", Values = null! }]));

        SecretFilters.Validate([F("name", new string('a', 512))]);
        var tooLong = Assert.Throws<Vaultlib.Pipeline.RequestFault>(() => SecretFilters.Validate([F("name", new string('a', 513))])); // the pipeline makes it a ValidationException
        Assert.Contains("between 0 and 512", tooLong.Message, StringComparison.Ordinal);
        Assert.Equal("Filters.member.Values", tooLong.MemberName);

        SecretFilters.Validate([F("all", " leading space"), F("name", "a:b_c@d/e+f=g.h-i!j"), F("name", string.Empty)]);
        foreach (string bad in new[] { "a*b", "a#b", "a\tb", "é" })
        {
            Assert.Contains("letters, digits", Assert.Throws<ValidationException>(() => SecretFilters.Validate([F("name", bad)])).Message, StringComparison.Ordinal);
        }

        ValidationException key = Assert.Throws<ValidationException>(() => SecretFilters.Validate([F("Name", "a")]));
        Assert.Equal("Filters.member.Key", key.MemberName);
        Assert.Contains("Name", key.Message, StringComparison.Ordinal);
        Assert.Contains("owning-service", key.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_key_matches_a_prefix_with_its_own_case_rule()
    {
        SecretRecord s = Secret("prod/db", "Primary DATABASE", region: "eu-west-1", tags: [("Team", "Payments")]);
        Assert.True(Matches(s, F("name", "prod/")));
        Assert.False(Matches(s, F("name", "Prod/")));
        Assert.False(Matches(s, F("name", "db")));
        Assert.True(Matches(s, F("description", "primary data")));
        Assert.False(Matches(s, F("description", "database")));
        Assert.False(Matches(Secret("x"), F("description", "a")));
        Assert.True(Matches(s, F("tag-key", "Te")));
        Assert.False(Matches(s, F("tag-key", "te")));
        Assert.False(Matches(s, F("tag-key", "Pay")));
        Assert.True(Matches(s, F("tag-value", "Pay")));
        Assert.False(Matches(s, F("tag-value", "pay")));
        Assert.False(Matches(s, F("tag-value", "Te")));
        Assert.True(Matches(s, F("primary-region", "eu-")));
        Assert.False(Matches(s, F("primary-region", "us-")));
        Assert.False(Matches(s, F("owning-service", "")));
    }

    [Fact]
    public void Values_of_one_filter_are_alternatives_negated_ones_exclude_and_filters_all_apply()
    {
        SecretRecord s = Secret("prod/db");
        Assert.True(Matches(s, F("name", "dev/", "prod/")));
        Assert.True(Matches(s, F("name", "prod/", "dev/")));
        Assert.True(Matches(s, F("name", "prod", "prod/")));
        Assert.False(Matches(s, F("name", "dev/", "test/")));
        Assert.False(Matches(s, F("name", "prod/", "!prod/db")));
        Assert.True(Matches(s, F("name", "!dev/")));
        Assert.False(Matches(s, F("name", "!dev/", "test/")));
        Assert.True(Matches(s, F("name", "prod/"), F("primary-region", "us-")));
        Assert.False(Matches(s, F("name", "prod/"), F("primary-region", "eu-")));
    }

    [Fact]
    public void All_matches_when_every_word_begins_a_word_of_the_name_description_or_tags()
    {
        SecretRecord s = Secret("prodDatabase/v2", "Main store", tags: [("CostCenter", "team42")]);
        Assert.True(Matches(s, F("all", "prod")));
        Assert.True(Matches(s, F("all", "DATA")));
        Assert.True(Matches(s, F("all", "prod data")));
        Assert.True(Matches(s, F("all", "main")));
        Assert.True(Matches(s, F("all", "center")));
        Assert.True(Matches(s, F("all", "team 42")));
        Assert.True(Matches(s, F("all", "v2")));
        Assert.False(Matches(s, F("all", "prod nothing")));
        Assert.False(Matches(s, F("all", "base")));
        Assert.False(Matches(Secret("x"), F("all", "store")));
        Assert.False(Matches(Secret("x"), F("all", "stryker")));

        Assert.Equal(["prod", "Database", "v", "2"], SecretFilters.Words("prodDatabase/v2"));
        Assert.Equal(["ABCdef", "12", "x"], SecretFilters.Words("ABCdef12x"));
        Assert.Equal(["a", "b"], SecretFilters.Words("--a  b--"));
        Assert.Empty(SecretFilters.Words(" .-"));
    }

    [Fact]
    public void Listings_are_by_creation_date_newest_first_unless_asc_then_by_name()
    {
        SecretRecord old = Secret("b-old", created: s_t0);
        SecretRecord newer = Secret("a-new", created: s_t0.AddDays(1));
        SecretRecord twin = Secret("c-new", created: s_t0.AddDays(1));
        Assert.Equal(["a-new", "c-new", "b-old"], SecretFilters.Ordered([old, twin, newer], null).Select(s => s.Name));
        Assert.Equal(["a-new", "c-new", "b-old"], SecretFilters.Ordered([old, twin, newer], "desc").Select(s => s.Name));
        Assert.Equal(["b-old", "a-new", "c-new"], SecretFilters.Ordered([twin, newer, old], "asc").Select(s => s.Name));
        Assert.Equal($"{s_t0.UtcTicks:D19}|b-old", SecretFilters.OrderKey(old, "asc"));
        Assert.Equal($"{long.MaxValue - s_t0.UtcTicks:D19}|b-old", SecretFilters.OrderKey(old, "desc"));
    }
}
