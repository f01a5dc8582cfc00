using System.Diagnostics.Metrics;

namespace Vaultlib.Internal;

/// <summary>The one <c>Vaultlib</c> meter every component creates its instruments on (docs/observability.md).</summary>
internal static class VaultlibMeter
{
    public static Meter Meter { get; } = new(VaultlibTelemetry.MeterName, typeof(VaultlibMeter).Assembly.GetName().Version?.ToString(3));
}
