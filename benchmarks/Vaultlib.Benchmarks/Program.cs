using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Vaultlib.Benchmarks -- --filter '*'
// dotnet run -c Release --project benchmarks/Vaultlib.Benchmarks -- --change-delay [samples]
// dotnet run -c Release --project benchmarks/Vaultlib.Benchmarks -- --scale-memory sqlite|postgres
// dotnet run -c Release --project benchmarks/Vaultlib.Benchmarks -- --fleet-delay [processes] [writes] [interval-ms]
if (args is ["--scale-memory", var store])
{
    Vaultlib.Benchmarks.ScaleMemory.Run(store);
    return;
}

if (args is ["--fleet-delay", ..])
{
    await Vaultlib.Benchmarks.FleetFeedDelay.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 8, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 200, args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 20);
    return;
}

if (args is ["--fleet-member", var schema, var index, var writes, var interval])
{
    await Vaultlib.Benchmarks.FleetFeedDelay.MemberAsync(schema, int.Parse(index, System.Globalization.CultureInfo.InvariantCulture), int.Parse(writes, System.Globalization.CultureInfo.InvariantCulture), int.Parse(interval, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

if (args is ["--change-delay", ..])
{
    await Vaultlib.Benchmarks.ChangeDelay.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 500);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

public partial class Program;
