namespace Vaultlib.Parameters;

/// <summary>
/// Every parameter in name order, immutable: runs of at most <see cref="RunLength"/> entries, each an array in
/// order, in an array of runs in order. A listing seeks with two binary searches (over the runs' first names, then
/// within one run) and then walks arrays; a change copies the array of runs and one run, so at 100,000 parameters a
/// write copies about 800 references and 128 entries, and a reader is never blocked.
/// </summary>
internal sealed class NameIndex
{
    /// <summary>The most entries a run holds; a run that would grow past it splits in two.</summary>
    public const int RunLength = 128;

    private readonly Entry[][] _runs;

    private NameIndex(Entry[][] runs, int count)
    {
        _runs = runs;
        Count = count;
    }

    /// <summary>An index with no parameters.</summary>
    public static NameIndex Empty { get; } = new([], 0);

    /// <summary>How many parameters the index holds.</summary>
    public int Count { get; }

    /// <summary>How many runs hold them (for the tests that pin when runs split and go).</summary>
    internal int RunCount => _runs.Length;

    /// <summary>The index with <paramref name="record"/> under <paramref name="key"/>, added or replacing the one there.</summary>
    public NameIndex Set(string key, ParameterRecord record)
    {
        var entry = new Entry(key, record);
        if (_runs.Length == 0)
        {
            return new NameIndex([[entry]], 1);
        }

        int r = RunOf(key);
        Entry[] run = _runs[r];
        int at = Find(run, key);
        if (at >= 0)
        {
            Entry[] replaced = (Entry[])run.Clone();
            replaced[at] = entry;
            return new NameIndex(Replace(r, replaced), Count);
        }

        at = ~at;
        var grown = new Entry[run.Length + 1];
        Array.Copy(run, grown, at);
        grown[at] = entry;
        Array.Copy(run, at, grown, at + 1, run.Length - at);
        if (grown.Length <= RunLength)
        {
            return new NameIndex(Replace(r, grown), Count + 1);
        }

        int half = grown.Length / 2;
        var runs = new Entry[_runs.Length + 1][];
        Array.Copy(_runs, runs, r);
        runs[r] = grown[..half];
        runs[r + 1] = grown[half..];
        Array.Copy(_runs, r + 1, runs, r + 2, _runs.Length - r - 1);
        return new NameIndex(runs, Count + 1);
    }

    /// <summary>The index without <paramref name="key"/> (itself when the key is not there).</summary>
    public NameIndex Remove(string key)
    {
        if (_runs.Length == 0)
        {
            return this;
        }

        int r = RunOf(key);
        Entry[] run = _runs[r];
        int at = Find(run, key);
        if (at < 0)
        {
            return this;
        }

        if (run.Length == 1)
        {
            var runs = new Entry[_runs.Length - 1][];
            Array.Copy(_runs, runs, r);
            Array.Copy(_runs, r + 1, runs, r, _runs.Length - r - 1);
            return new NameIndex(runs, Count - 1);
        }

        var shrunk = new Entry[run.Length - 1];
        Array.Copy(run, shrunk, at);
        Array.Copy(run, at + 1, shrunk, at, run.Length - at - 1);
        return new NameIndex(Replace(r, shrunk), Count - 1);
    }

    /// <summary>
    /// The records whose keys begin with <paramref name="prefix"/>, in order, from the first key at or after
    /// <paramref name="start"/> (after it, when <paramref name="exclusive"/>).
    /// </summary>
    public IEnumerable<ParameterRecord> From(string start, bool exclusive, string prefix)
    {
        if (_runs.Length == 0)
        {
            yield break;
        }

        int r = RunOf(start);
        int at = Find(_runs[r], start);
        at = at < 0 ? ~at : (exclusive ? at + 1 : at);
        for (; r < _runs.Length; r++, at = 0)
        {
            // The keys that begin with the prefix are one stretch of the order, and the walk starts at or after the
            // prefix: the stretch's end in this run is found by a binary search, and no key is checked on the way.
            Entry[] run = _runs[r];
            int end = EndOfPrefix(run, at, prefix);
            for (; at < end; at++)
            {
                yield return run[at].Record;
            }

            // Stryker disable once Equality,Statement,Block : performance only: no later run holds a key with the prefix, and each ends its stretch at 0
            if (end < run.Length)
            {
                yield break;
            }
        }
    }

    /// <summary>The first position at or after <paramref name="from"/> whose key does not begin with <paramref name="prefix"/> (the run's length when all do).</summary>
    private static int EndOfPrefix(Entry[] run, int from, string prefix)
    {
        if (prefix.Length == 0 || run[^1].Key.StartsWith(prefix, StringComparison.Ordinal))
        {
            return run.Length;
        }

        int low = from, high = run.Length - 1;
        while (low < high)
        {
            // Stryker disable once Bitwise : >> and >>> agree on the sum of two array indexes, which never reaches int.MaxValue
            int middle = (low + high) >>> 1;
            if (run[middle].Key.StartsWith(prefix, StringComparison.Ordinal))
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>The run where <paramref name="key"/> is or would go: the last whose first key is at or before it (the first run when none is).</summary>
    private int RunOf(string key)
    {
        int low = 0, high = _runs.Length - 1;
        while (low < high)
        {
            // Stryker disable once Bitwise : >> and >>> agree on the sum of two array indexes, which never reaches int.MaxValue
            int middle = (low + high + 1) >>> 1;
            if (string.CompareOrdinal(_runs[middle][0].Key, key) <= 0)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low;
    }

    /// <summary>The position of <paramref name="key"/> in <paramref name="run"/>, or the complement of where it would go.</summary>
    private static int Find(Entry[] run, string key)
    {
        int low = 0, high = run.Length - 1;
        while (low <= high)
        {
            // Stryker disable once Bitwise : >> and >>> agree on the sum of two array indexes, which never reaches int.MaxValue
            int middle = (low + high) >>> 1;
            int order = string.CompareOrdinal(run[middle].Key, key);
            if (order < 0)
            {
                low = middle + 1;
            }
            else if (order > 0)
            {
                high = middle - 1;
            }
            else
            {
                return middle;
            }
        }

        return ~low;
    }

    private Entry[][] Replace(int r, Entry[] run)
    {
        Entry[][] runs = (Entry[][])_runs.Clone();
        runs[r] = run;
        return runs;
    }

    private readonly record struct Entry(string Key, ParameterRecord Record);
}
