using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vaultlib.Parameters;

namespace Vaultlib.Tests.Parameters.Core;

/// <summary>
/// The parameters' name index against a sorted dictionary as its model: any sequence of sets and removes (enough of
/// them to split runs and to empty them) leaves the same records in the same order, and every listing from any start,
/// inclusive or not, under any prefix, is the model's.
/// </summary>
public sealed class NameIndexTests
{
    private static readonly string[] s_prefixes = ["", "k1", "k1/", "k12/", "k3/x1", "k39/x19", "z", "k"];

    /// <summary>A set (when <see cref="Version"/> is positive) or a remove of <see cref="Key"/>.</summary>
    public sealed record Change(string Key, int Version);

    public static class Arbitraries
    {
        public static Arbitrary<Change[]> Changes() =>
            Gen.Choose(0, 900).SelectMany(n => Gen.ArrayOf(
                from a in Gen.Choose(0, 39)
                from b in Gen.Choose(0, 19)
                from version in Gen.Choose(-1, 3)
                select new Change($"k{a}/x{b}", version),
                n)).ToArbitrary();
    }

    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 60)]
    public void Any_changes_leave_the_model_s_order_and_listings(Change[] changes)
    {
        NameIndex index = NameIndex.Empty;
        var model = new SortedDictionary<string, ParameterRecord>(StringComparer.Ordinal);
        foreach (Change change in changes)
        {
            if (change.Version > 0)
            {
                ParameterRecord record = Record(change.Key, change.Version);
                index = index.Set(change.Key, record);
                model[change.Key] = record;
            }
            else
            {
                index = index.Remove(change.Key);
                model.Remove(change.Key);
            }
        }

        Assert.Equal(model.Count, index.Count);
        Assert.Equal(model.Values, index.From(string.Empty, exclusive: false, string.Empty));
        foreach (string prefix in s_prefixes)
        {
            foreach (string start in new[] { prefix, "k1/x5", "k20/x0", "k39/x19", "zz" })
            {
                foreach (bool exclusive in new[] { false, true })
                {
                    IEnumerable<ParameterRecord> expected = model
                        .Where(p => exclusive ? string.CompareOrdinal(p.Key, start) > 0 : string.CompareOrdinal(p.Key, start) >= 0)
                        .TakeWhile(p => p.Key.StartsWith(prefix, StringComparison.Ordinal) || string.CompareOrdinal(p.Key, prefix) < 0)
                        .Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal))
                        .Select(p => p.Value);
                    Assert.Equal(expected, index.From(string.CompareOrdinal(start, prefix) >= 0 ? start : prefix, exclusive && string.CompareOrdinal(start, prefix) >= 0, prefix));
                }
            }
        }
    }

    [Fact]
    public void Runs_split_past_their_length_and_keep_order()
    {
        NameIndex index = NameIndex.Empty;
        int count = NameIndex.RunLength * 3 + 1;
        for (int i = count - 1; i >= 0; i--)
        {
            index = index.Set($"p{i:D4}", Record($"p{i:D4}", 1));
        }

        Assert.Equal(count, index.Count);
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"p{i:D4}"), index.From(string.Empty, exclusive: false, string.Empty).Select(r => r.Name));
        Assert.Equal(["p0200", "p0201"], index.From("p0199", exclusive: true, "p020").Take(2).Select(r => r.Name));
        Assert.Equal("p0199", index.From("p0199", exclusive: false, "p01").First().Name);
    }

    [Fact]
    public void A_run_splits_only_past_128_entries()
    {
        NameIndex index = NameIndex.Empty;
        for (int i = 0; i < NameIndex.RunLength; i++)
        {
            index = index.Set($"k{i:D4}", Record($"k{i:D4}", 1));
        }

        Assert.Equal(1, index.RunCount);
        index = index.Set("k9999", Record("k9999", 1));
        Assert.Equal(2, index.RunCount);
        Assert.Equal(NameIndex.RunLength + 1, index.Count);
    }

    [Fact]
    public void Emptied_runs_go_and_the_rest_keep_their_order()
    {
        NameIndex index = NameIndex.Empty;
        for (int i = 0; i < 400; i++)
        {
            index = index.Set($"k{i:D4}", Record($"k{i:D4}", 1));
        }

        int runs = index.RunCount;
        Assert.True(runs >= 4, $"400 names in order make at least four runs, not {runs}");

        // Remove a block that empties the first run and one in the middle that empties another.
        int[] removed = [.. Enumerable.Range(0, 100), .. Enumerable.Range(180, 140)];
        foreach (int i in removed)
        {
            index = index.Remove($"k{i:D4}");
        }

        Assert.True(index.RunCount < runs);
        Assert.Equal(400 - removed.Length, index.Count);
        Assert.Equal(Enumerable.Range(0, 400).Except(removed).Select(i => $"k{i:D4}"), index.From(string.Empty, exclusive: false, string.Empty).Select(r => r.Name));
        Assert.Equal(["k0320", "k0321"], index.From("k03", exclusive: false, "k03").Take(2).Select(r => r.Name));
        Assert.Equal(["k0100", "k0101"], index.From("k0099", exclusive: true, "k01").Take(2).Select(r => r.Name));
    }

    [Fact]
    public void Removing_what_is_not_there_gives_the_same_index()
    {
        NameIndex index = NameIndex.Empty.Set("a", Record("a", 1));
        Assert.Same(index, index.Remove("b"));
        Assert.Same(NameIndex.Empty, NameIndex.Empty.Remove("a"));
        Assert.Empty(index.Remove("a").From(string.Empty, exclusive: false, string.Empty));
        Assert.Equal(0, index.Remove("a").Count);
        Assert.Equal(0, index.Remove("a").RunCount);
    }

    [Fact]
    public void A_set_replaces_the_record_under_its_key()
    {
        ParameterRecord second = Record("a", 2);
        NameIndex index = NameIndex.Empty.Set("a", Record("a", 1)).Set("a", second);
        Assert.Equal(1, index.Count);
        Assert.Same(second, Assert.Single(index.From("a", exclusive: false, "a")));
    }

    private static ParameterRecord Record(string key, int version) => new()
    {
        Name = key,
        Arn = $"{key}#{version}",
        Tags = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal),
        Versions = [],
    };
}
