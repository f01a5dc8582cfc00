namespace Vaultlib;

/// <summary>
/// The names under which Vaultlib publishes its metrics (<see cref="System.Diagnostics.Metrics.Meter"/>) and traces
/// (<see cref="System.Diagnostics.ActivitySource"/>), so that OpenTelemetry, a <see cref="System.Diagnostics.Metrics.MeterListener"/>
/// or an <see cref="System.Diagnostics.ActivityListener"/> collects them without Vaultlib depending on any of them. The
/// instruments, spans and their attributes are listed in <c>docs/observability.md</c>.
/// </summary>
public static class VaultlibTelemetry
{
    /// <summary>The meter's name: <c>Vaultlib</c> (for example <c>AddMeter(VaultlibTelemetry.MeterName)</c>).</summary>
    public const string MeterName = "Vaultlib";

    /// <summary>The activity source's name: <c>Vaultlib</c> (for example <c>AddSource(VaultlibTelemetry.ActivitySourceName)</c>).</summary>
    public const string ActivitySourceName = "Vaultlib";
}
