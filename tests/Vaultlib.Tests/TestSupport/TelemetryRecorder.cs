using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Vaultlib.Tests.TestSupport;

/// <summary>
/// Records every span of the <c>Vaultlib</c> activity source and every measurement of the <c>Vaultlib</c> meter while it
/// lives. Tests that use it run in <see cref="VaultlibMeterTests"/>, and pick their own spans (by the trace of a root
/// span they start) and measurements (by a Region or service no other test uses).
/// </summary>
internal sealed class TelemetryRecorder : IDisposable
{
    private static readonly ActivitySource s_tests = new("Vaultlib.Tests");
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters = new();
    private readonly List<Activity> _spans = [];
    private readonly List<Measurement> _measurements = [];

    public TelemetryRecorder()
    {
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name is VaultlibTelemetry.ActivitySourceName or "Vaultlib.Tests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (_spans)
                {
                    _spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_activities);

        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == VaultlibTelemetry.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Keep(instrument, value, tags));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Keep(instrument, value, tags));
        _meters.Start();
    }

    /// <summary>One measurement: its instrument, value and attributes.</summary>
    public sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);

    /// <summary>Starts a root span of the tests' own source: what the code under test does nests under it, in its trace.</summary>
    public static Activity StartRoot(string name) => s_tests.StartActivity(name, ActivityKind.Internal, parentContext: default) ?? throw new InvalidOperationException("The recorder is not listening.");

    /// <summary>Every stopped span of <paramref name="root"/>'s trace, in the order they stopped.</summary>
    public List<Activity> SpansOf(Activity root)
    {
        lock (_spans)
        {
            return [.. _spans.Where(s => s.TraceId == root.TraceId && s.Source.Name == VaultlibTelemetry.ActivitySourceName)];
        }
    }

    /// <summary>Every stopped span that <paramref name="match"/> accepts.</summary>
    public List<Activity> Spans(Func<Activity, bool> match)
    {
        lock (_spans)
        {
            return [.. _spans.Where(match)];
        }
    }

    /// <summary>Every measurement of <paramref name="instrument"/> whose attributes <paramref name="match"/> accepts.</summary>
    public List<Measurement> Of(string instrument, Func<IReadOnlyDictionary<string, object?>, bool>? match = null)
    {
        lock (_measurements)
        {
            return [.. _measurements.Where(m => m.Instrument == instrument && (match is null || match(m.Tags)))];
        }
    }

    /// <summary>Everything recorded, as text: every span's name, status description, tags and baggage, and every measurement's attributes.</summary>
    public string Everything()
    {
        var text = new System.Text.StringBuilder();
        lock (_spans)
        {
            foreach (Activity span in _spans)
            {
                text.Append(span.DisplayName).Append(' ').Append(span.StatusDescription).Append(' ');
                foreach (KeyValuePair<string, object?> tag in span.TagObjects)
                {
                    text.Append(tag.Key).Append('=').Append(tag.Value).Append(' ');
                }

                foreach (KeyValuePair<string, string?> item in span.Baggage)
                {
                    text.Append(item.Key).Append('=').Append(item.Value).Append(' ');
                }

                foreach (ActivityEvent e in span.Events)
                {
                    text.Append(e.Name).Append(' ');
                }
            }
        }

        lock (_measurements)
        {
            foreach (Measurement m in _measurements)
            {
                text.Append(m.Instrument).Append(' ');
                foreach ((string key, object? value) in m.Tags)
                {
                    text.Append(key).Append('=').Append(value).Append(' ');
                }
            }
        }

        return text.ToString();
    }

    public void Dispose()
    {
        _activities.Dispose();
        _meters.Dispose();
    }

    private void Keep(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var map = new Dictionary<string, object?>();
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            map[tag.Key] = tag.Value;
        }

        lock (_measurements)
        {
            _measurements.Add(new Measurement(instrument.Name, value, map));
        }
    }
}
