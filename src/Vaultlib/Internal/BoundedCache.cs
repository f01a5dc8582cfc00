namespace Vaultlib.Internal;

/// <summary>A small memo of values derived from strings (principals, ARNs), dropped whole when it grows past its bound.</summary>
internal sealed class BoundedCache<T>
{
    private const int Bound = 4096;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, T> _values = new(StringComparer.Ordinal);

    public T Get(string key, Func<string, T> make)
    {
        if (_values.TryGetValue(key, out T? value))
        {
            return value;
        }

        if (_values.Count >= Bound)
        {
            _values.Clear();
        }

        return _values.GetOrAdd(key, make);
    }
}
