namespace Vaultlib;

/// <summary>
/// The names under which Vaultlib publishes its metrics (<see cref="System.Diagnostics.Metrics.Meter"/>), so that
/// OpenTelemetry or any <see cref="System.Diagnostics.Metrics.MeterListener"/> collects them without Vaultlib depending
/// on either. The instruments and their attributes are listed in <c>docs/observability.md</c>.
/// </summary>
public static class VaultlibTelemetry
{
    /// <summary>The meter's name: <c>Vaultlib</c> (for example <c>AddMeter(VaultlibTelemetry.MeterName)</c>).</summary>
    public const string MeterName = "Vaultlib";
}
